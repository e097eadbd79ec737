namespace DovecotRootHelper.Cli.Reports;

/// <summary>imaproot set --json.</summary>
internal sealed record SetReport(string User, string? Previous, string State, int Line, string Note, FlushOutcome Flush);
