using DovecotRootHelper.Configuration;
using DovecotRootHelper.Migration;
using DovecotRootHelper.Posix;
using DovecotRootHelper.PostgreSql;
using DovecotRootHelper.State;
using DovecotRootHelper.Usage;

namespace DovecotRootHelper.Cli;

/// <summary>
/// What every command needs: its arguments, the console, the config (read on first use), how
/// accounts are looked up (getpwnam, or a test's temporary homes) and the migration library.
/// </summary>
internal sealed class CommandContext(Arguments arguments, CliConsole console, Func<string, UnixAccount?> findAccount) : IDisposable
{
    private HelperConfig? _config;
    private IStateStore? _store;

    public Arguments Arguments { get; } = arguments;

    public CliConsole Console { get; } = console;

    public bool Json => Arguments.Has("--json");

    public string ConfigPath => Arguments.Value("--config") ?? HelperConfig.DefaultPath;

    public HelperConfig Config => _config ??= HelperConfig.Load(ConfigPath);

    /// <summary>Where the users' states are kept, as <c>[state] backend</c> says; opened on first use.</summary>
    public IStateStore Store => _store ??= Config.Backend switch
    {
        StateBackend.Postgresql => new PostgresStateStore(Database("imaproot"), Config.Targets),
        _ => new FileStateStore(Config),
    };

    /// <summary>The state database <c>[postgresql] conninfo-file</c> names, whatever the backend (db, state import/export); exit 4 when none is configured.</summary>
    public StateDatabase Database(string command) => new(ConninfoFile.Load(Config.PostgresqlConninfoFile
        ?? throw new CommandFailure(ExitCodes.InvalidConfigOrState, $"{ConfigPath}: [postgresql] conninfo-file is not set: {command} needs the file saying how to reach the database")));

    /// <summary>The state file, for the commands that work on the file itself; exit 4 with the state in PostgreSQL.</summary>
    public string StateFileOnly(string command) => Config.Backend == StateBackend.File
        ? Config.StateFile
        : throw new CommandFailure(ExitCodes.InvalidConfigOrState, $"{command}: the state is in PostgreSQL ([state] backend = postgresql in {ConfigPath}): {command} works on the state file only; use imaproot set, or imaproot state export and state import");

    /// <summary>The migration library, looking accounts up as the commands do, with the usage database's evidence.</summary>
    public UserMigration Migration(IMigrationObserver? observer = null) => new(Config, observer)
    {
        Store = Store,
        FindAccount = findAccount,
        FilterReferences = FilterReferenceHandlingOption(),
        EvidenceSources = [new LoggedMailboxes(Config.Usage.Database, Config.Usage.WindowDays)],
    };

    /// <summary>The conversion library, looking accounts up as the commands do.</summary>
    public UserConversion Conversion(IMigrationObserver? observer = null) => new(Config, Store, observer, findAccount);

    private FilterReferenceHandling FilterReferenceHandlingOption() => Arguments.Value("--filter-references") switch
    {
        null or "refuse" => FilterReferenceHandling.Refuse,
        "symlink" => FilterReferenceHandling.Symlink,
        "confirmed" => FilterReferenceHandling.Confirmed,
        string other => throw CommandFailure.Usage($"--filter-references {other}: expected refuse, symlink or confirmed"),
    };

    /// <summary>
    /// Asks <paramref name="question"/> on the terminal unless --yes was given; without a terminal,
    /// or without a yes, the command stops with nothing done.
    /// </summary>
    public void Confirm(string question)
    {
        if (Arguments.Has("--yes"))
            return;
        if (!Console.InputIsTerminal)
            throw CommandFailure.Usage($"{Arguments.Command}: stdin is not a terminal, so nobody can confirm: add --yes");
        Console.Error.Write($"{question} [y/N] ");
        Console.Error.Flush();
        string answer = Console.In.ReadLine()?.Trim() ?? "";
        if (!answer.Equals("y", StringComparison.OrdinalIgnoreCase) && !answer.Equals("yes", StringComparison.OrdinalIgnoreCase))
            throw new CommandFailure(ExitCodes.Failed, $"{Arguments.Command}: not confirmed; nothing done");
    }

    /// <summary>The user's Unix account, or null when there is none.</summary>
    public UnixAccount? FindAccount(string user) => findAccount(user);

    /// <summary>The user's Unix account; exit 3 when there is none.</summary>
    public UnixAccount Account(string user) => findAccount(user) ?? throw CommandFailure.UnknownUser(user);

    public void Dispose() => _store?.Dispose();
}
