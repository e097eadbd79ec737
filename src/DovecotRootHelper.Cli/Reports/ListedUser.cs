namespace DovecotRootHelper.Cli.Reports;

/// <summary>One line of the state file.</summary>
internal sealed record ListedUser(string User, string State, int Line, string Note);
