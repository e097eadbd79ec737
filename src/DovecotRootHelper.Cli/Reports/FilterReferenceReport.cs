namespace DovecotRootHelper.Cli.Reports;

/// <summary>A place in a user's mail filter that names what the plan moves (plan --json).</summary>
internal sealed record FilterReferenceReport(string File, int Line, string Written, string Moves, string MovesTo, string Resolution);
