using System.Globalization;
using DovecotRootHelper.Dovecot;
using DovecotRootHelper.Locations;
using DovecotRootHelper.Posix;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Configuration;

/// <summary>
/// What a login needs from the config file (<c>[dovecot]</c>, <c>[locations]</c>, <c>[state]</c>,
/// <c>[log]</c>), read and validated alone on the login path: a typo in a section only imaproot
/// reads (<c>[migration]</c>, <c>[notices]</c>, <c>[usage]</c>) must not refuse every login.
/// <see cref="HelperConfig"/> adds imaproot's settings on top.
/// </summary>
public record LoginSettings(
    string Path,
    DovecotGeneration Generation,
    PostLoginFinish PostLoginFinish,
    LocationTemplate? Legacy,
    LocationTemplate Migrated,
    string StateFile,
    UserState DefaultState,
    uint? MigratedFromUid,
    bool LogDecisions)
{
    public const string DefaultPath = "/etc/dovecot-root-helper.conf";

    /// <summary>The environment variable (and, upper-cased by script-login, the userdb field) that points elsewhere.</summary>
    public const string PathVariable = UserdbReply.ConfigVariable;

    /// <summary>
    /// <c>[state] backend</c>: the state file (the default), or PostgreSQL, which Dovecot's sql
    /// userdb reads itself: then no login may run the hook (<see cref="LoadForLogin"/>).
    /// </summary>
    public StateBackend Backend { get; init; }

    /// <summary>
    /// The named target locations of <c>[locations]</c> (every key besides legacy and migrated): the
    /// states a conversion can give a user, each the location Dovecot then uses.
    /// </summary>
    public TargetLocations Targets { get; init; } = TargetLocations.None;

    /// <summary>
    /// The location template a state gives: <c>[locations] legacy</c> (null when unset: Dovecot's own),
    /// <c>migrated</c>, or a target's; null for <c>migrating</c> and for a target the config does not name.
    /// </summary>
    public LocationTemplate? TemplateFor(UserState state) =>
        state == UserState.Legacy ? Legacy
        : state == UserState.Migrated ? Migrated
        : state.IsTarget ? Targets.Template(state.Name)
        : null;

    /// <summary>The settings a login reads, as <c>section:key</c>.</summary>
    public static readonly string[] Keys =
    [
        "dovecot:version", "dovecot:post-login-finish",
        "locations:legacy", "locations:migrated",
        "state:file", "state:default", "state:migrated-from-uid", "state:backend",
        "log:decisions",
    ];

    /// <summary>
    /// Settings of the login's own sections that only imaproot reads: known, so not refused as
    /// typos, and not validated here.
    /// </summary>
    internal static readonly string[] AdminKeysInLoginSections = ["dovecot:doveconf", "dovecot:user-lookup", "state:userdb"];

    /// <summary>The sections only imaproot reads: a login checks only that their lines are lines.</summary>
    public static readonly string[] AdminSections = ["migration", "notices", "usage", "postgresql", "conversion"];

    /// <summary>Any other key of <c>[locations]</c> names a target location (<see cref="Targets"/>).</summary>
    internal const string TargetKeys = "locations:*";

    private static readonly string[] KnownToLogins = [.. Keys, .. AdminKeysInLoginSections, TargetKeys];

    /// <summary>Reads and validates the login's settings in the file at <paramref name="path"/>, which must pass <see cref="TrustedFile"/>'s rule.</summary>
    public static LoginSettings Load(string path) => Parse(ReadTrusted(path), path);

    /// <summary>
    /// <see cref="Load"/> for the login hook, which decides from the state file only: with the state
    /// in PostgreSQL it refuses (the login fails temporarily) rather than read a file nobody writes.
    /// </summary>
    public static LoginSettings LoadForLogin(string path)
    {
        LoginSettings config = Load(path);
        return config.Backend == StateBackend.File
            ? config
            : throw new ConfigException($"{config.Path}: [state] backend = postgresql: Dovecot's sql userdb decides logins from the database, not this hook; take the hook out of Dovecot's config and include the all-services-pgsql snippet (README.Debian, The state in PostgreSQL)");
    }

    /// <summary>The login's settings; the file's other sections are checked only for their shape.</summary>
    public static LoginSettings Parse(ReadOnlyMemory<byte> bytes, string path) =>
        From(ConfigFileSyntax.Read(bytes.Span, path, KnownToLogins, AdminSections));

    internal static ReadOnlyMemory<byte> ReadTrusted(string path)
    {
        try
        {
            return TrustedFile.Read(path, ConfigFileSyntax.MaxSize, out _);
        }
        catch (UntrustedFileException e)
        {
            throw new ConfigException($"{path}: {e.Problem}");
        }
    }

    internal static LoginSettings From(ConfigValues values)
    {
        DovecotGeneration generation = ParseGeneration(values);
        return new LoginSettings(
            values.Path,
            generation,
            ParseFinish(values),
            // Unset: legacy users keep whatever location Dovecot itself gives them; we hand over none.
            values.Value("locations:legacy") is { } legacy ? ParseTemplate(values, "locations:legacy", legacy) : null,
            ParseTemplate(values, "locations:migrated", values.Value("locations:migrated") ?? $"mbox:~/IMAP:INBOX=/var/mail/{generation.UserVariable}"),
            // Relative, the hook would follow it as root from whatever directory Dovecot started it in.
            AbsolutePath(values, "state:file") ?? "/var/lib/dovecot-root-helper/state",
            ParseDefault(values),
            Number(values, "state:migrated-from-uid", "a uid (a whole number) or nothing"),
            ParseYesNo(values, "log:decisions") ?? false)
        {
            Backend = ParseBackend(values),
            Targets = ParseTargets(values),
        };
    }

    /// <summary><c>[section] key</c>, as the documentation and messages name a setting.</summary>
    internal static string Name(string setting) => $"[{setting[..setting.IndexOf(':', StringComparison.Ordinal)]}] {setting[(setting.IndexOf(':', StringComparison.Ordinal) + 1)..]}";

    internal static ConfigException Invalid(ConfigValues values, string setting, string value, string expected) =>
        values.Problem(setting, $"{Name(setting)} = {value}: {expected}");

    private static DovecotGeneration ParseGeneration(ConfigValues values)
    {
        string value = values.Value("dovecot:version") ?? "2.3";
        return DovecotGeneration.Named(value) ?? throw Invalid(values, "dovecot:version", value, $"expected {DovecotGeneration.KnownNames} or a release of one (such as 2.4.5)");
    }

    private static PostLoginFinish ParseFinish(ConfigValues values) => values.Value("dovecot:post-login-finish") switch
    {
        null or "auto" => PostLoginFinish.Auto,
        "exec" => PostLoginFinish.Exec,
        string other => throw Invalid(values, "dovecot:post-login-finish", other, "expected auto or exec"),
    };

    private static LocationTemplate ParseTemplate(ConfigValues values, string setting, string text)
    {
        try
        {
            return LocationTemplate.Parse(text);
        }
        catch (LocationException e)
        {
            throw Invalid(values, setting, text, e.Message);
        }
    }

    // Every [locations] key but legacy and migrated names a target, in the file's order.
    private static TargetLocations ParseTargets(ConfigValues values)
    {
        var targets = new List<(string Name, LocationTemplate Template)>();
        foreach (string key in values.KeysOf("locations"))
        {
            if (key.Equals("legacy", StringComparison.OrdinalIgnoreCase) || key.Equals("migrated", StringComparison.OrdinalIgnoreCase))
                continue;
            string setting = $"locations:{key}";
            if (TargetLocations.NameProblem(key) is { } problem)
                throw values.Problem(setting, $"[locations] {key}: a target's name {problem}");
            if (values.Value(setting) is not { } text)
                throw values.Problem(setting, $"[locations] {key}: expected a mail location (such as maildir:~/Maildir:LAYOUT=fs)");
            targets.Add((key, ParseTemplate(values, setting, text)));
        }
        if (targets.Count > TargetLocations.MaxCount)
            throw new ConfigException($"{values.Path}: [locations] names {targets.Count} targets, more than {TargetLocations.MaxCount}");
        return targets.Count == 0 ? TargetLocations.None : new TargetLocations(targets);
    }

    private static StateBackend ParseBackend(ConfigValues values) => values.Value("state:backend") switch
    {
        null or "file" => StateBackend.File,
        "postgresql" => StateBackend.Postgresql,
        string other => throw Invalid(values, "state:backend", other, "expected file or postgresql"),
    };

    private static UserState ParseDefault(ConfigValues values)
    {
        string value = values.Value("state:default") ?? "legacy";
        return UserStateNames.TryParse(value, out UserState state) && state != UserState.Migrating
            ? state
            : throw Invalid(values, "state:default", value, "expected legacy or migrated");
    }

    /// <summary>A whole number, or null when unset.</summary>
    internal static uint? Number(ConfigValues values, string setting, string expected)
    {
        string? value = values.Value(setting);
        if (value is null)
            return null;
        return uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out uint number)
            ? number
            : throw Invalid(values, setting, value, $"expected {expected}");
    }

    /// <summary>An absolute path, or null when unset.</summary>
    internal static string? AbsolutePath(ConfigValues values, string setting) => AbsolutePath(values, setting, values.Value(setting));

    internal static string? AbsolutePath(ConfigValues values, string setting, string? value) =>
        value is null || value.StartsWith('/')
            ? value
            : throw Invalid(values, setting, value, "expected an absolute path");

    private static bool? ParseYesNo(ConfigValues values, string setting) => values.Value(setting)?.ToLowerInvariant() switch
    {
        null => null,
        "yes" or "true" or "1" or "on" => true,
        "no" or "false" or "0" or "off" => false,
        _ => throw Invalid(values, setting, values.Value(setting)!, "expected yes or no"),
    };
}
