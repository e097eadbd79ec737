using Microsoft.Extensions.Configuration;

namespace DovecotRootHelper.Configuration;

/// <summary>
/// imaproot's own settings as written (logins read theirs through <see cref="LoginSettings"/>), bound
/// from <see cref="ConfigValues"/> by the configuration binding source generator (no reflection).
/// </summary>
internal sealed class ConfigFile
{
    public DovecotSection Dovecot { get; set; } = new();

    public StateSection State { get; set; } = new();

    public MigrationSection Migration { get; set; } = new();

    public NoticesSection Notices { get; set; } = new();

    public UsageSection Usage { get; set; } = new();

    public PostgresqlSection Postgresql { get; set; } = new();

    public ConversionSection Conversion { get; set; } = new();

    internal sealed class DovecotSection
    {
        public string? Doveconf { get; set; }

        [ConfigurationKeyName("user-lookup")]
        public string? UserLookup { get; set; }
    }

    internal sealed class StateSection
    {
        public string? Userdb { get; set; }
    }

    internal sealed class MigrationSection
    {
        [ConfigurationKeyName("journal-dir")]
        public string? JournalDir { get; set; }

        public string? Kick { get; set; }

        public string? Who { get; set; }

        public string? Flush { get; set; }

        [ConfigurationKeyName("kick-timeout")]
        public string? KickTimeout { get; set; }

        [ConfigurationKeyName("doveadm-servers")]
        public string? DoveadmServers { get; set; }

        [ConfigurationKeyName("doveadm-password-file")]
        public string? DoveadmPasswordFile { get; set; }

        [ConfigurationKeyName("doveadm-ca-file")]
        public string? DoveadmCaFile { get; set; }
    }

    internal sealed class ConversionSection
    {
        public string? Doveadm { get; set; }

        [ConfigurationKeyName("sync-timeout")]
        public string? SyncTimeout { get; set; }
    }

    internal sealed class NoticesSection
    {
        public string? Sendmail { get; set; }

        public string? Before { get; set; }

        public string? After { get; set; }
    }

    internal sealed class UsageSection
    {
        public string? Database { get; set; }

        public string? Logs { get; set; }

        [ConfigurationKeyName("window-days")]
        public string? WindowDays { get; set; }

        [ConfigurationKeyName("namespace-prefix")]
        public string? NamespacePrefix { get; set; }

        public string? Separator { get; set; }
    }

    internal sealed class PostgresqlSection
    {
        [ConfigurationKeyName("conninfo-file")]
        public string? ConninfoFile { get; set; }

        [ConfigurationKeyName("dovecot-role")]
        public string? DovecotRole { get; set; }
    }

    /// <summary>Every key the file may hold besides <see cref="LoginSettings.Keys"/>; anything else is a typo that would silently change nothing.</summary>
    public static readonly string[] AdminKeys =
    [
        .. LoginSettings.AdminKeysInLoginSections,
        "migration:journal-dir", "migration:kick", "migration:who", "migration:flush", "migration:kick-timeout",
        "migration:doveadm-servers", "migration:doveadm-password-file", "migration:doveadm-ca-file",
        "notices:sendmail", "notices:before", "notices:after",
        "usage:database", "usage:logs", "usage:window-days", "usage:namespace-prefix", "usage:separator",
        "postgresql:conninfo-file", "postgresql:dovecot-role",
        "conversion:doveadm", "conversion:sync-timeout",
    ];
}
