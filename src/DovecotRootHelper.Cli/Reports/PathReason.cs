namespace DovecotRootHelper.Cli.Reports;

/// <summary>A plan note or conflict.</summary>
internal sealed record PathReason(string Path, string Reason);
