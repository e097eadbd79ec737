namespace DovecotRootHelper.Usage.Scan;

/// <summary>What one scan did with one file.</summary>
/// <param name="Outcome">"read", "already read", "empty", "missing"...</param>
/// <param name="FromOffset">Where it started in the (decompressed) content: the last scan's end.</param>
/// <param name="FirstMalformedLine">The line number (from the file's start) of the first malformed line this scan met, if any.</param>
public sealed record FileScanResult(string Path, string Outcome, bool Compressed, long FromOffset, long ToOffset, long Lines, long Events, long Malformed, long? FirstMalformedLine = null);
