namespace DovecotRootHelper.Cli.Reports;

/// <summary>imaproot usage scan --json.</summary>
internal sealed record UsageScanReport(string Database, IReadOnlyList<ScannedFile> Files, long Lines, long Events, long Malformed);

/// <summary>One file of a scan: outcome ("read", "already read", "empty", "missing"), the (decompressed) offsets it read between, and what it found.</summary>
internal sealed record ScannedFile(string Path, string Outcome, bool Compressed, long FromOffset, long ToOffset, long Lines, long Events, long Malformed, long? FirstMalformedLine);
