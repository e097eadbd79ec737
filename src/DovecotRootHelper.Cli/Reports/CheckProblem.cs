namespace DovecotRootHelper.Cli.Reports;

/// <summary>One problem with a file; <c>Line</c> is 0 when it concerns the file as a whole.</summary>
internal sealed record CheckProblem(string File, int Line, string Problem);
