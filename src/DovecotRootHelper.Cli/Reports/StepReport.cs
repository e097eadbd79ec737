namespace DovecotRootHelper.Cli.Reports;

/// <summary>One planned step; <c>Action</c> is mkdir, move or symlink (<c>To</c>: the link's text), paths relative to the home.</summary>
internal sealed record StepReport(string Action, string? Path, string? From, string? To, string? Kind, string? Mode, string Description);
