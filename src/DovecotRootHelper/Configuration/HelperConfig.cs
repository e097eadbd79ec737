using DovecotRootHelper.Posix;
using DovecotRootHelper.State;
using Microsoft.Extensions.Configuration;

namespace DovecotRootHelper.Configuration;

/// <summary>
/// The whole configuration, as imaproot reads it: the login's settings (<see cref="LoginSettings"/>)
/// and imaproot's own on top, every one validated, every problem named with file and line.
/// </summary>
public sealed record HelperConfig : LoginSettings
{
    private HelperConfig(LoginSettings login, MigrationSettings migration)
        : base(login)
    {
        Migration = migration;
    }

    /// <summary>Every setting the file may hold, as <c>section:key</c>: what the parser accepts, and what dovecot-root-helper.conf(5) documents.</summary>
    public static IReadOnlyList<string> Settings { get; } = [.. Keys, .. ConfigFile.AdminKeys];

    /// <summary><c>[migration]</c>: journals and the commands that close a user's sessions (imaproot only).</summary>
    public MigrationSettings Migration { get; init; }

    /// <summary>
    /// <c>[dovecot] doveconf</c>: the command (split on blanks, no shell) that prints Dovecot's own
    /// settings, for imaproot to compare <c>[locations] legacy</c> with; empty: Dovecot is not asked.
    /// </summary>
    public string DoveconfCommand { get; init; } = "doveconf";

    /// <summary>
    /// <c>[dovecot] user-lookup</c>: the command (split on blanks, no shell, <c>%u</c> the user) that
    /// prints Dovecot's own userdb answer for a user, for imaproot to check that Dovecot serves what
    /// the state file decides; empty: Dovecot is not asked.
    /// </summary>
    public string UserLookupCommand { get; init; } = "doveadm user %u";

    /// <summary>
    /// <c>[state] userdb</c>: where imaproot writes the passwd-file userdb it derives from the state
    /// file (and, beside it, the include for unlisted users) for the all-services setup; null: none.
    /// </summary>
    public string? UserdbFile { get; init; }

    /// <summary><c>[notices]</c>: the mails users get about a scheduled migration (imaproot only).</summary>
    public NoticeSettings Notices { get; init; } = NoticeSettings.Default;

    /// <summary><c>[usage]</c>: the usage database and the logs it is built from (imaproot only).</summary>
    public UsageSettings Usage { get; init; } = UsageSettings.Default;

    /// <summary>
    /// <c>[postgresql] conninfo-file</c>: the file holding how imaproot reaches the PostgreSQL state
    /// database, password included (never a command-line argument); null: none configured.
    /// </summary>
    public string? PostgresqlConninfoFile { get; init; }

    /// <summary>
    /// <c>[postgresql] dovecot-role</c>: the login role Dovecot's sql userdb connects as, which
    /// <c>db init</c>/<c>db upgrade</c> make a member of imaproot_dovecot; null: none named (the site grants it).
    /// </summary>
    public string? PostgresqlDovecotRole { get; init; }

    /// <summary><c>[conversion]</c>: how imaproot runs doveadm to convert a user's mail (imaproot only).</summary>
    public ConversionSettings Conversion { get; init; } = ConversionSettings.Default;

    /// <summary>Reads and validates the file at <paramref name="path"/>, which must pass <see cref="TrustedFile"/>'s rule.</summary>
    /// <exception cref="ConfigException">Every problem found (<see cref="ConfigException.Problems"/>), the first as its message.</exception>
    public static new HelperConfig Load(string path) => Parse(ReadTrusted(path), path);

    /// <exception cref="ConfigException">Every problem found (<see cref="ConfigException.Problems"/>), the first as its message.</exception>
    public static new HelperConfig Parse(ReadOnlyMemory<byte> bytes, string path)
    {
        ConfigValues values = ConfigFileSyntax.Read(bytes.Span, path, [.. Settings, TargetKeys], []);
        var problems = new List<ConfigException>();
        LoginSettings? login = Collect<LoginSettings?>(problems, () => From(values), null);
        ConfigFile file = new ConfigurationBuilder().AddInMemoryCollection(values.ForBinding()).Build().Get<ConfigFile>() ?? new ConfigFile();
        ConfigFile.MigrationSection migration = file.Migration;
        var config = new HelperConfig(login ?? Defaults(path), new MigrationSettings(
            Collect(problems, () => AbsolutePath(values, "migration:journal-dir"), null) ?? "/var/lib/dovecot-root-helper/journal",
            Value(migration.Kick) ?? "doveadm kick %u",
            // who = (present, empty) means there is no Dovecot to ask; absent means the default.
            migration.Who is null ? "doveadm -f flow who -1 %u" : Value(migration.Who) ?? "",
            migration.Flush is null ? "doveadm auth cache flush %u" : Value(migration.Flush) ?? "",
            TimeSpan.FromSeconds(Collect(problems, () => Number(values, "migration:kick-timeout", "a number of seconds"), null) ?? 30))
        {
            DoveadmServers = Collect(problems, () => DoveadmServers(values), []),
            DoveadmPasswordFile = Collect(problems, () => AbsolutePath(values, "migration:doveadm-password-file"), null),
            DoveadmCaFile = Collect(problems, () => DoveadmCaFile(values), null),
        })
        {
            UserdbFile = Collect(problems, () => AbsolutePath(values, "state:userdb"), null),
            // doveconf = (present, empty) means there is no Dovecot to ask; absent means the default.
            DoveconfCommand = file.Dovecot.Doveconf is null ? "doveconf" : Value(file.Dovecot.Doveconf) ?? "",
            UserLookupCommand = file.Dovecot.UserLookup is null ? "doveadm user %u" : Value(file.Dovecot.UserLookup) ?? "",
            Notices = new NoticeSettings(
                Value(file.Notices.Sendmail) ?? NoticeSettings.Default.Sendmail,
                Collect(problems, () => AbsolutePath(values, "notices:before"), null),
                Collect(problems, () => AbsolutePath(values, "notices:after"), null)),
            Usage = ParseUsage(values, file.Usage, problems),
            PostgresqlConninfoFile = Collect(problems, () => AbsolutePath(values, "postgresql:conninfo-file"), null),
            PostgresqlDovecotRole = Collect(problems, () => RoleName(values, "postgresql:dovecot-role"), null),
            Conversion = new ConversionSettings(
                Value(file.Conversion.Doveadm) ?? ConversionSettings.Default.Doveadm,
                Collect(problems, () => Number(values, "conversion:sync-timeout", "a number of seconds") is uint seconds and > 0 ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null, null) ?? ConversionSettings.Default.SyncTimeout),
        };
        if (login is not null)
        {
            Collect(problems, config.CheckExpressible, config);
            Collect(problems, config.CheckBackend, config);
        }
        return problems.Count == 0 ? config : throw new ConfigException(problems);
    }

    // imaproot reports every problem at once: each setting is parsed on its own, a bad one counted and defaulted.
    private static T Collect<T>(List<ConfigException> problems, Func<T> parse, T fallback)
    {
        try
        {
            return parse();
        }
        catch (ConfigException e)
        {
            problems.Add(e);
            return fallback;
        }
    }

    private static LoginSettings Defaults(string path) => From(new ConfigValues(path));

    /// <summary>
    /// The all-services userdb can leave an unlisted user's location to Dovecot only by handing over
    /// no field at all, and neither generation's userdb can make a field's presence depend on the uid:
    /// 2.3's %{if} and 2.4's if() only choose a value, and an empty one is not Dovecot's own location
    /// (2.3 reads an empty mail as "yes" and autodetects; 2.4 refuses an empty mail_path).
    /// </summary>
    private HelperConfig CheckExpressible() =>
        UserdbFile is not null && Legacy is null && MigratedFromUid is not null && DefaultState == UserState.Legacy
            ? throw new ConfigException(Path, 0, "[state] migrated-from-uid with [state] userdb needs [locations] legacy: Dovecot's userdb cannot leave the location unset below the uid and set it above; set legacy to Dovecot's own mail_location (imaproot check compares them), or leave migrated-from-uid unset")
            : this;

    /// <summary>The PostgreSQL backend needs its connection, and has no passwd-file userdb to write.</summary>
    private HelperConfig CheckBackend() => Backend switch
    {
        StateBackend.Postgresql when PostgresqlConninfoFile is null =>
            throw new ConfigException(Path, 0, "[state] backend = postgresql needs [postgresql] conninfo-file: the file saying how imaproot reaches the database"),
        StateBackend.Postgresql when UserdbFile is not null =>
            throw new ConfigException(Path, 0, "[state] backend = postgresql with [state] userdb: Dovecot's sql userdb reads the database, and the passwd-file userdb would never change again; remove [state] userdb"),
        _ => this,
    };

    private static readonly string[] DoveadmCommands = ["migration:kick", "migration:who", "migration:flush"];

    // A PostgreSQL role as an unquoted name means it: lower-case letters, digits and _, up to 63 bytes.
    private static string? RoleName(ConfigValues values, string setting)
    {
        string? value = values.Value(setting);
        return value is null || System.Text.RegularExpressions.Regex.IsMatch(value, "^[a-z_][a-z0-9_]{0,62}$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)
            ? value
            : throw Invalid(values, setting, value, "expected a PostgreSQL role name (lower-case letters, digits and _, not starting with a digit)");
    }

    // TLS to the servers' doveadm listeners: only with the servers named.
    private static string? DoveadmCaFile(ConfigValues values)
    {
        string? path = AbsolutePath(values, "migration:doveadm-ca-file");
        return path is null || values.Value("migration:doveadm-servers") is not null
            ? path
            : throw values.Problem("migration:doveadm-ca-file", "[migration] doveadm-ca-file is set but doveadm-servers is not: name the servers' doveadm listeners (host:port ...) or remove the CA file setting");
    }

    /// <summary>
    /// <c>[migration] doveadm-servers</c>: blank-separated <c>host:port</c>s, which need the password
    /// file and replace the kick, who and flush commands (both set would leave one silently unused).
    /// </summary>
    private static List<DoveadmAddress> DoveadmServers(ConfigValues values)
    {
        const string setting = "migration:doveadm-servers";
        string? text = values.Value(setting);
        if (text is null)
        {
            return values.Value("migration:doveadm-password-file") is null
                ? []
                : throw values.Problem("migration:doveadm-password-file", "[migration] doveadm-password-file is set but doveadm-servers is not: name the servers' doveadm listeners (host:port ...) or remove the password file setting");
        }
        var servers = new List<DoveadmAddress>();
        foreach (string word in text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
            servers.Add(DoveadmAddress.Parse(word, out string? problem) ?? throw Invalid(values, setting, word, problem!));
        if (values.Value("migration:doveadm-password-file") is null)
            throw values.Problem(setting, "[migration] doveadm-servers needs doveadm-password-file, the file holding the servers' doveadm_password");
        if (DoveadmCommands.FirstOrDefault(values.IsPresent) is { } command)
            throw values.Problem(command, $"{Name(command)} is set, but with doveadm-servers kick, who and flush go to the servers over the doveadm protocol: remove one or the other");
        return servers;
    }

    /// <summary>A bound value without its inline comment; empty means unset (the binder's values have none left).</summary>
    private static string? Value(string? bound) => string.IsNullOrWhiteSpace(bound) ? null : bound;

    private static UsageSettings ParseUsage(ConfigValues values, ConfigFile.UsageSection usage, List<ConfigException> problems)
    {
        UsageSettings defaults = UsageSettings.Default;
        string[] logs = Value(usage.Logs)?.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries) ?? [.. defaults.Logs];
        foreach (string log in logs)
            _ = Collect(problems, () => AbsolutePath(values, "usage:logs", log), null);
        uint? window = Collect(problems, () => Number(values, "usage:window-days", "a number of days"), null);
        if (window is 0 or > 36500)
        {
            problems.Add(Invalid(values, "usage:window-days", $"{window}", "expected 1 to 36500 days"));
            window = null;
        }
        string separator = Value(usage.Separator) ?? "/";
        if (separator.Length != 1 || char.IsWhiteSpace(separator[0]) || char.IsControl(separator[0]))
        {
            problems.Add(Invalid(values, "usage:separator", separator, "expected one character, as in Dovecot's namespace separator"));
            separator = "/";
        }
        string prefix = Value(usage.NamespacePrefix) ?? "";
        if (prefix.Length > 0 && prefix[^1] != separator[0])
            problems.Add(Invalid(values, "usage:namespace-prefix", prefix, $"expected it to end with the separator '{separator}', as Dovecot requires"));
        return new UsageSettings(
            Collect(problems, () => AbsolutePath(values, "usage:database"), null) ?? defaults.Database,
            logs,
            (int)(window ?? (uint)defaults.WindowDays),
            prefix,
            separator[0]);
    }
}
