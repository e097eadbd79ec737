namespace DovecotRootHelper.Configuration;

/// <summary>
/// The [usage] section, read by imaproot only: the usage database, the Dovecot logs
/// <c>imaproot usage scan</c> reads by default (absolute paths; a '*' in the last component
/// matches rotated files such as dovecot.log.1 and dovecot.log.2.gz), how many days of evidence
/// the migration plan trusts, and the user's own namespace as clients name it (prefix and
/// hierarchy separator), so that logged names become on-disk names.
/// </summary>
public sealed record UsageSettings(string Database, IReadOnlyList<string> Logs, int WindowDays, string NamespacePrefix, char Separator)
{
    public static UsageSettings Default { get; } = new(
        "/var/lib/dovecot-root-helper/usage.sqlite", ["/var/log/dovecot.log*"], 180, "", '/');
}
