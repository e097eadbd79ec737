using System.Globalization;
using System.Runtime.InteropServices;
using DovecotRootHelper.Dovecot;
using DovecotRootHelper.Locations;
using DovecotRootHelper.Posix;
using DovecotRootHelper.State;
using Microsoft.Extensions.Configuration;

namespace DovecotRootHelper.Configuration;

/// <summary>The validated configuration shared by the login hook and the admin tools.</summary>
public sealed record HelperConfig(
    string Path,
    DovecotGeneration Generation,
    PostLoginFinish PostLoginFinish,
    LocationTemplate? Legacy,
    LocationTemplate Migrated,
    string StateFile,
    UserState DefaultState,
    uint? MigratedFromUid,
    bool LogDecisions,
    MigrationSettings Migration)
{
    public const string DefaultPath = "/etc/dovecot-root-helper.conf";

    /// <summary>Every setting the file may hold, as <c>section:key</c>: what the parser accepts, and what dovecot-root-helper.conf(5) documents.</summary>
    public static IReadOnlyList<string> Settings => ConfigFile.KnownKeys;

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

    /// <summary>The environment variable (and, upper-cased by script-login, the userdb field) that points elsewhere.</summary>
    public const string PathVariable = UserdbReply.ConfigVariable;

    /// <summary>Reads and validates the file at <paramref name="path"/>, which must pass <see cref="TrustedFile"/>'s rule.</summary>
    public static HelperConfig Load(string path)
    {
        ReadOnlyMemory<byte> bytes;
        try
        {
            bytes = TrustedFile.Read(path, ConfigFileSyntax.MaxSize, out _);
        }
        catch (UntrustedFileException e)
        {
            throw new ConfigException($"{path}: {e.Problem}");
        }
        return Parse(bytes, path);
    }

    public static HelperConfig Parse(ReadOnlyMemory<byte> bytes, string path)
    {
        ConfigFileSyntax.Check(bytes.Span, path);
        IConfigurationRoot root;
        try
        {
            // The INI provider wants a stream; read the bytes in place rather than copy them again.
            using var stream = MemoryMarshal.TryGetArray(bytes, out ArraySegment<byte> segment)
                ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
                : new MemoryStream(bytes.ToArray(), writable: false);
            root = new ConfigurationBuilder().AddIniStream(stream).Build();
        }
        catch (FormatException e)
        {
            throw new ConfigException($"{path}: {e.Message.TrimEnd('.')}");
        }

        foreach (KeyValuePair<string, string?> pair in root.AsEnumerable())
        {
            if (pair.Value is not null && !ConfigFile.IsKnownKey(pair.Key))
                throw new ConfigException(pair.Key.Contains(':', StringComparison.Ordinal)
                    ? $"{path}: unknown setting [{Section(pair.Key)}] {Key(pair.Key)}"
                    : $"{path}: setting {pair.Key} is outside any [section]");
        }

        ConfigFile file = root.Get<ConfigFile>() ?? new ConfigFile();
        DovecotGeneration generation = ParseGeneration(Value(file.Dovecot.Version) ?? "2.3", path);
        return new HelperConfig(
            path,
            generation,
            ParseFinish(Value(file.Dovecot.PostLoginFinish) ?? "auto", path),
            // Unset: legacy users keep whatever location Dovecot itself gives them; we hand over none.
            Value(file.Locations.Legacy) is { } legacy ? ParseTemplate(legacy, path, "[locations] legacy") : null,
            ParseTemplate(Value(file.Locations.Migrated) ?? $"mbox:~/IMAP:INBOX=/var/mail/{generation.UserVariable}", path, "[locations] migrated"),
            // Relative, the hook would follow it as root from whatever directory Dovecot started it in.
            ParseAbsolutePath(Value(file.State.File), path, "[state] file") ?? "/var/lib/dovecot-root-helper/state",
            ParseDefault(Value(file.State.Default) ?? "legacy", path),
            ParseUid(Value(file.State.MigratedFromUid), path, "[state] migrated-from-uid", "a uid (a whole number) or nothing"),
            ParseYesNo(Value(file.Log.Decisions) ?? "no", $"{path}: [log] decisions"),
            new MigrationSettings(
                ParseAbsolutePath(Value(file.Migration.JournalDir), path, "[migration] journal-dir") ?? "/var/lib/dovecot-root-helper/journal",
                Value(file.Migration.Kick) ?? "doveadm kick %u",
                // who = (present, empty) means there is no Dovecot to ask; absent means the default.
                file.Migration.Who is null ? "doveadm -f flow who -1 %u" : Value(file.Migration.Who) ?? "",
                file.Migration.Flush is null ? "doveadm auth cache flush %u" : Value(file.Migration.Flush) ?? "",
                TimeSpan.FromSeconds(ParseUid(Value(file.Migration.KickTimeout), path, "[migration] kick-timeout", "a number of seconds") ?? 30)))
        {
            UserdbFile = ParseAbsolutePath(Value(file.State.Userdb), path, "[state] userdb"),
            // doveconf = (present, empty) means there is no Dovecot to ask; absent means the default.
            DoveconfCommand = file.Dovecot.Doveconf is null ? "doveconf" : Value(file.Dovecot.Doveconf) ?? "",
            UserLookupCommand = file.Dovecot.UserLookup is null ? "doveadm user %u" : Value(file.Dovecot.UserLookup) ?? "",
            Notices = new NoticeSettings(
                Value(file.Notices.Sendmail) ?? NoticeSettings.Default.Sendmail,
                ParseAbsolutePath(Value(file.Notices.Before), path, "[notices] before"),
                ParseAbsolutePath(Value(file.Notices.After), path, "[notices] after")),
            Usage = ParseUsage(file.Usage, path),
        }.CheckExpressible();
    }

    /// <summary>
    /// The all-services userdb can leave an unlisted user's location to Dovecot only by handing over
    /// no field at all, and neither generation's userdb can make a field's presence depend on the uid:
    /// 2.3's %{if} and 2.4's if() only choose a value, and an empty one is not Dovecot's own location
    /// (2.3 reads an empty mail as "yes" and autodetects; 2.4 refuses an empty mail_path).
    /// </summary>
    private HelperConfig CheckExpressible() =>
        UserdbFile is not null && Legacy is null && MigratedFromUid is not null && DefaultState == UserState.Legacy
            ? throw new ConfigException($"{Path}: [state] migrated-from-uid with [state] userdb needs [locations] legacy: Dovecot's userdb cannot leave the location unset below the uid and set it above; set legacy to Dovecot's own mail_location (imaproot check compares them), or leave migrated-from-uid unset")
            : this;

    /// <summary>Strips an inline <c> ; comment</c> (the INI reader keeps it) and surrounding blanks; empty means unset.</summary>
    internal static string? Value(string? raw)
    {
        if (raw is null)
            return null;
        for (int i = 1; i < raw.Length; i++)
        {
            if ((raw[i] == ';' || raw[i] == '#') && char.IsWhiteSpace(raw[i - 1]))
            {
                raw = raw[..i];
                break;
            }
        }
        raw = raw.Trim();
        return raw.Length == 0 ? null : raw;
    }

    private static DovecotGeneration ParseGeneration(string value, string path) =>
        DovecotGeneration.Named(value)
        ?? throw new ConfigException($"{path}: [dovecot] version = {value}: expected {DovecotGeneration.KnownNames}");

    private static LocationTemplate ParseTemplate(string text, string path, string setting)
    {
        try
        {
            return LocationTemplate.Parse(text);
        }
        catch (LocationException e)
        {
            throw new ConfigException($"{path}: {setting} = {text}: {e.Message}");
        }
    }

    private static UsageSettings ParseUsage(ConfigFile.UsageSection usage, string path)
    {
        UsageSettings defaults = UsageSettings.Default;
        string[] logs = Value(usage.Logs)?.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries) ?? [.. defaults.Logs];
        foreach (string log in logs)
            ParseAbsolutePath(log, path, "[usage] logs");
        uint? window = ParseUid(Value(usage.WindowDays), path, "[usage] window-days", "a number of days");
        if (window is 0 or > 36500)
            throw new ConfigException($"{path}: [usage] window-days = {window}: expected 1 to 36500 days");
        string separator = Value(usage.Separator) ?? "/";
        if (separator.Length != 1 || char.IsWhiteSpace(separator[0]) || char.IsControl(separator[0]))
            throw new ConfigException($"{path}: [usage] separator = {separator}: expected one character, as in Dovecot's namespace separator");
        string prefix = Value(usage.NamespacePrefix) ?? "";
        if (prefix.Length > 0 && prefix[^1] != separator[0])
            throw new ConfigException($"{path}: [usage] namespace-prefix = {prefix}: expected it to end with the separator '{separator}', as Dovecot requires");
        return new UsageSettings(
            ParseAbsolutePath(Value(usage.Database), path, "[usage] database") ?? defaults.Database,
            logs,
            (int)(window ?? (uint)defaults.WindowDays),
            prefix,
            separator[0]);
    }

    private static PostLoginFinish ParseFinish(string value, string path) => value switch
    {
        "auto" => PostLoginFinish.Auto,
        "exec" => PostLoginFinish.Exec,
        _ => throw new ConfigException($"{path}: [dovecot] post-login-finish = {value}: expected auto or exec"),
    };

    private static UserState ParseDefault(string value, string path) =>
        UserStateNames.TryParse(value, out UserState state) && state != UserState.Migrating
            ? state
            : throw new ConfigException($"{path}: [state] default = {value}: expected legacy or migrated");

    private static uint? ParseUid(string? value, string path, string setting, string expected)
    {
        if (value is null)
            return null;
        return uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out uint number)
            ? number
            : throw new ConfigException($"{path}: {setting} = {value}: expected {expected}");
    }

    private static string? ParseAbsolutePath(string? value, string path, string setting) =>
        value is null || value.StartsWith('/')
            ? value
            : throw new ConfigException($"{path}: {setting} = {value}: expected an absolute path");

    private static bool ParseYesNo(string value, string where) => value.ToLowerInvariant() switch
    {
        "yes" or "true" or "1" or "on" => true,
        "no" or "false" or "0" or "off" => false,
        _ => throw new ConfigException($"{where} = {value}: expected yes or no"),
    };

    private static string Section(string key) => key.Contains(':', StringComparison.Ordinal) ? key[..key.IndexOf(':', StringComparison.Ordinal)] : "";

    private static string Key(string key) => key.Contains(':', StringComparison.Ordinal) ? key[(key.IndexOf(':', StringComparison.Ordinal) + 1)..] : key;
}
