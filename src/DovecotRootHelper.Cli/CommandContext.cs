using DovecotRootHelper.Configuration;
using DovecotRootHelper.Migration;
using DovecotRootHelper.Posix;

namespace DovecotRootHelper.Cli;

/// <summary>What every command needs: its arguments, the console, the config (read on first use) and the migration library.</summary>
internal sealed class CommandContext(Arguments arguments, CliConsole console, Func<HelperConfig, IMigrationObserver?, IMigrations> migrations)
{
    private HelperConfig? _config;

    public Arguments Arguments { get; } = arguments;

    public CliConsole Console { get; } = console;

    public bool Json => Arguments.Has("--json");

    public string ConfigPath => Arguments.Value("--config") ?? HelperConfig.DefaultPath;

    public HelperConfig Config => _config ??= HelperConfig.Load(ConfigPath);

    public IMigrations Migrations(IMigrationObserver? observer = null) => migrations(Config, observer);

    /// <summary>The user's Unix account; exit 3 when there is none.</summary>
    public static UnixAccount Account(string user)
    {
        UnixAccount? account = UnixAccount.Find(user);
        if (account is null)
            throw CommandFailure.UnknownUser(user);
        return account;
    }
}
