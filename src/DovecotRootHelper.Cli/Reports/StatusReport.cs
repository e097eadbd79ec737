namespace DovecotRootHelper.Cli.Reports;

/// <summary>imaproot status --json.</summary>
internal sealed record StatusReport(IReadOnlyList<UserStatus> Users);
