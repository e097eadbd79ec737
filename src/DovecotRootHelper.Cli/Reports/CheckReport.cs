namespace DovecotRootHelper.Cli.Reports;

/// <summary>
/// imaproot check --json; <c>Ok</c> is false when there is any problem (an index that is not current
/// is none) or warning (something that could not be checked; the exit code stays 0).
/// </summary>
internal sealed record CheckReport(
    string Config, string? StateFile, bool Ok, int Users, IReadOnlyList<CheckProblem> Problems, IReadOnlyList<string> Notes, IndexReport? Index)
{
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>With <c>[state] backend = postgresql</c>, the database read (<c>StateFile</c> is then null); absent otherwise.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Database { get; init; }
}
