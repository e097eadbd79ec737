namespace DovecotRootHelper.Cli.Reports;

/// <summary>One user in <see cref="StatusReport"/>; <c>Error</c> is set (and most else null) when the user could not be decided.</summary>
internal sealed record UserStatus(
    string User,
    uint? Uid,
    string? Home,
    string? State,
    bool Listed,
    int? Line,
    string? Note,
    string? Why,
    bool LoginsRefused,
    string? Location,
    Dictionary<string, string>? Fields,
    PendingJournal? Pending,
    string? Error)
{
    /// <summary>The user's conversion on record, if any.</summary>
    public ConversionRecord? Conversion { get; init; }
}
