namespace DovecotRootHelper.Cli.Reports;

/// <summary>An unfinished migration journal, as status reports it.</summary>
internal sealed record PendingJournal(string Phase, int StepsDone, int StepCount, string Path);
