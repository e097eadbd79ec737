namespace DovecotRootHelper.Cli.Reports;

/// <summary>imaproot explain --json: what the post-login hook sets, drops and lists in USERDB_KEYS.</summary>
internal sealed record ExplainReport(
    string User,
    uint Uid,
    string Home,
    string DovecotVersion,
    string State,
    string Why,
    bool LoginRefused,
    Dictionary<string, string> Variables,
    IReadOnlyList<string> UserdbKeysAdded,
    IReadOnlyList<string> Removed);
