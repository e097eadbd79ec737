using DovecotRootHelper.Configuration;
using DovecotRootHelper.Migration;
using DovecotRootHelper.Posix;
using DovecotRootHelper.Usage;

namespace DovecotRootHelper.Cli;

/// <summary>
/// What every command needs: its arguments, the console, the config (read on first use), how
/// accounts are looked up (getpwnam, or a test's temporary homes) and the migration library.
/// </summary>
internal sealed class CommandContext(Arguments arguments, CliConsole console, Func<string, UnixAccount?> findAccount)
{
    private HelperConfig? _config;

    public Arguments Arguments { get; } = arguments;

    public CliConsole Console { get; } = console;

    public bool Json => Arguments.Has("--json");

    public string ConfigPath => Arguments.Value("--config") ?? HelperConfig.DefaultPath;

    public HelperConfig Config => _config ??= HelperConfig.Load(ConfigPath);

    /// <summary>The migration library, looking accounts up as the commands do, with the usage database's evidence.</summary>
    public UserMigration Migration(IMigrationObserver? observer = null) => new(Config, observer)
    {
        FindAccount = findAccount,
        FilterReferences = FilterReferenceHandlingOption(),
        EvidenceSources = [new LoggedMailboxes(Config.Usage.Database, Config.Usage.WindowDays)],
    };

    private FilterReferenceHandling FilterReferenceHandlingOption() => Arguments.Value("--filter-references") switch
    {
        null or "refuse" => FilterReferenceHandling.Refuse,
        "symlink" => FilterReferenceHandling.Symlink,
        "confirmed" => FilterReferenceHandling.Confirmed,
        string other => throw CommandFailure.Usage($"--filter-references {other}: expected refuse, symlink or confirmed"),
    };

    /// <summary>The user's Unix account, or null when there is none.</summary>
    public UnixAccount? FindAccount(string user) => findAccount(user);

    /// <summary>The user's Unix account; exit 3 when there is none.</summary>
    public UnixAccount Account(string user) => findAccount(user) ?? throw CommandFailure.UnknownUser(user);
}
