namespace DovecotRootHelper.Cli.Reports;

/// <summary>imaproot reindex --json.</summary>
internal sealed record ReindexReport(string StateFile, string Index, int Users);
