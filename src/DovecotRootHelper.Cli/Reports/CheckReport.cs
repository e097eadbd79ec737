namespace DovecotRootHelper.Cli.Reports;

/// <summary>imaproot check --json; <c>Ok</c> is false when there is any problem (an index that is not current is none).</summary>
internal sealed record CheckReport(
    string Config, string? StateFile, bool Ok, int Users, IReadOnlyList<CheckProblem> Problems, IReadOnlyList<string> Notes, IndexReport? Index);
