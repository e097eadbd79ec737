namespace DovecotRootHelper.Cli.Reports;

/// <summary>imaproot list --json.</summary>
internal sealed record ListReport(string StateFile, IReadOnlyList<ListedUser> Users);
