namespace DovecotRootHelper.Cli.Reports;

/// <summary>imaproot explain --json: which setup serves the user, the userdb fields it answers, and what the post-login hook sets, drops and lists in USERDB_KEYS.</summary>
internal sealed record ExplainReport(
    string User,
    uint Uid,
    string Home,
    string DovecotVersion,
    string State,
    string Why,
    bool LoginRefused,
    string ServedBy,
    Dictionary<string, string> UserdbFields,
    Dictionary<string, string> Variables,
    IReadOnlyList<string> UserdbKeysAdded,
    IReadOnlyList<string> Removed);
