namespace DovecotRootHelper.LoginHook.Tests;

/// <summary>
/// With <c>[state] backend = postgresql</c> Dovecot's sql userdb decides every login from the
/// database; a hook still in Dovecot's config would decide from a state file nobody writes any
/// more. It refuses the login (temporarily) with one line saying what to do, in every mode, and
/// opens no database connection.
/// </summary>
public class PostgresqlBackendRefusesTheHook
{
    private const string Backend = "[state]\nbackend = postgresql\n";

    [Fact]
    public void APostLoginLoginIsRefusedNamingTheSqlUserdbSetup()
    {
        using HookScenario scenario = WithBackend("alice migrated\n");
        (HookRun run, ExecRecord? exec) = scenario.Login();
        Assert.Null(exec);
        Assert.StartsWith("* BYE [UNAVAILABLE]", run.Stdout, StringComparison.Ordinal);
        Assert.Contains($"{scenario.ConfigPath}: [state] backend = postgresql: Dovecot's sql userdb decides logins from the database, not this hook; take the hook out of Dovecot's config and include the all-services-pgsql snippet (README.Debian, The state in PostgreSQL)", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void ACheckpasswordLookupFailsTemporarily()
    {
        using HookScenario scenario = WithBackend($"{CheckpasswordScenario.Account} migrated\n");
        (HookRun run, ExecRecord? exec) = CheckpasswordScenario.Lookup(scenario, CheckpasswordScenario.Request(CheckpasswordScenario.Account));
        Assert.Null(exec);
        Assert.Equal(111, run.ExitCode);
        Assert.Contains("[state] backend = postgresql", run.Stderr, StringComparison.Ordinal);
    }

    private static HookScenario WithBackend(string state)
    {
        var scenario = new HookScenario(state);
        string config = File.ReadAllText(scenario.ConfigPath);
        File.WriteAllText(scenario.ConfigPath, config.Contains("[state]\n", StringComparison.Ordinal)
            ? config.Replace("[state]\n", Backend, StringComparison.Ordinal)
            : config + "\n" + Backend);
        return scenario;
    }
}
