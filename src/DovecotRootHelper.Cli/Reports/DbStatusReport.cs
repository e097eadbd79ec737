namespace DovecotRootHelper.Cli.Reports;

/// <summary>
/// imaproot db status --json: the database, its schema against this imaproot's (<see cref="Schema"/>:
/// current, older, newer or none), the rows Dovecot's sql userdb reads against the config
/// (<see cref="DovecotRows"/>: match, differ, empty or unread), and, at the current schema, the users
/// per state and the migrations scheduled; the Dovecot role of <c>[postgresql] dovecot-role</c>,
/// whether it is a member of imaproot_dovecot and what is wrong with it (all null when none is named
/// or the schema is not current); <see cref="Action"/> the command to run, or null.
/// </summary>
internal sealed record DbStatusReport(
    string Database,
    int SchemaVersion,
    int CurrentVersion,
    string Schema,
    string DovecotRows,
    IReadOnlyList<string> Differences,
    Dictionary<string, long>? Users,
    long? Scheduled,
    string? DovecotRole,
    bool? DovecotRoleMember,
    string? DovecotRoleProblem,
    string? Action);
