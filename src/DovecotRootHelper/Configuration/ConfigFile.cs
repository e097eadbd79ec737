using Microsoft.Extensions.Configuration;

namespace DovecotRootHelper.Configuration;

/// <summary>The INI file exactly as written, bound by the configuration binding source generator (no reflection).</summary>
internal sealed class ConfigFile
{
    public DovecotSection Dovecot { get; set; } = new();

    public LocationsSection Locations { get; set; } = new();

    public StateSection State { get; set; } = new();

    public LogSection Log { get; set; } = new();

    public MigrationSection Migration { get; set; } = new();

    public NoticesSection Notices { get; set; } = new();

    public UsageSection Usage { get; set; } = new();

    internal sealed class DovecotSection
    {
        public string? Version { get; set; }

        [ConfigurationKeyName("post-login-finish")]
        public string? PostLoginFinish { get; set; }

        public string? Doveconf { get; set; }

        [ConfigurationKeyName("user-lookup")]
        public string? UserLookup { get; set; }
    }

    internal sealed class LocationsSection
    {
        public string? Legacy { get; set; }

        public string? Migrated { get; set; }
    }

    internal sealed class StateSection
    {
        public string? File { get; set; }

        public string? Default { get; set; }

        [ConfigurationKeyName("migrated-from-uid")]
        public string? MigratedFromUid { get; set; }

        public string? Userdb { get; set; }
    }

    internal sealed class LogSection
    {
        public string? Decisions { get; set; }
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

    /// <summary>Whether the file may hold <paramref name="key"/> (a plain loop: LINQ with a comparer costs the login path a generic virtual method resolved at run time).</summary>
    public static bool IsKnownKey(string key)
    {
        foreach (string known in KnownKeys)
        {
            if (string.Equals(known, key, StringComparison.OrdinalIgnoreCase))
                return true;
        }
        return false;
    }

    /// <summary>Every key the file may hold; anything else is a typo that would silently change nothing.</summary>
    public static readonly string[] KnownKeys =
    [
        "dovecot:version", "dovecot:post-login-finish", "dovecot:doveconf", "dovecot:user-lookup",
        "locations:legacy", "locations:migrated",
        "state:file", "state:default", "state:migrated-from-uid", "state:userdb",
        "log:decisions",
        "migration:journal-dir", "migration:kick", "migration:who", "migration:flush", "migration:kick-timeout",
        "notices:sendmail", "notices:before", "notices:after",
        "usage:database", "usage:logs", "usage:window-days", "usage:namespace-prefix", "usage:separator",
    ];
}
