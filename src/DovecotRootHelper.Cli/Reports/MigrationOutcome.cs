namespace DovecotRootHelper.Cli.Reports;

/// <summary>How one user's migrate, resume or rollback ended; <c>Error</c> is set when it failed.</summary>
internal sealed record MigrationOutcome(string User, string? State, int StepsDone, int StepCount, IReadOnlyList<string> Messages, string? Error);
