namespace DovecotRootHelper.Cli.Reports;

/// <summary>A conversion on record (not finalized, or unfinished), as status reports it.</summary>
internal sealed record ConversionRecord(string From, string To, string Phase, string Path);
