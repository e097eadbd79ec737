namespace DovecotRootHelper.Cli.Reports;

/// <summary>The state file's index in imaproot check --json: whether logins can use it, and if not, why.</summary>
internal sealed record IndexReport(string Path, bool Current, string Status);
