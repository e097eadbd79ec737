namespace DovecotRootHelper.LoginHook.Tests;

/// <summary>
/// An account database that does not answer (an LDAP or sssd outage: getpwnam_r returns an errno,
/// here made so by <see cref="AccountOutage"/>) is a temporary failure, never "unknown user": for a
/// checkpassword userdb, exit 3 makes Dovecot answer LMTP with 5xx and the MTA bounces the mail.
/// </summary>
public class DirectoryOutageIsNotUnknownUser
{
    private const string Root = CheckpasswordScenario.Account;
    private const int Eio = 5;
    private const int Enoent = 2;

    [Theory]
    [InlineData(Root)]
    [InlineData(AccountOutage.Everyone)]
    public void AUserdbLookupDuringAnOutageExits111WithOneLineNamingTheErrno(string failing)
    {
        using var scenario = new HookScenario($"{Root} migrated\n");
        Dictionary<string, string> env = AccountOutage.Around(CheckpasswordScenario.Environment(scenario, lookup: true), failing);
        (HookRun run, ExecRecord? exec) = CheckpasswordScenario.Lookup(scenario, CheckpasswordScenario.Request(Root), env);
        Assert.Equal(111, run.ExitCode);
        Assert.Null(exec);
        string line = Assert.Single(run.Stderr.TrimEnd('\n').Split('\n'));
        Assert.Contains($"userdb lookup for {Root} failed temporarily: getpwnam_r {Root}: Input/output error (EIO)", line, StringComparison.Ordinal);
        Assert.DoesNotContain("no Unix account", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void EnoentFromTheAccountDatabaseIsAnOutageToo()
    {
        // glibc returns an errno only when a source could not answer (sssd's client says ENOENT when
        // its socket is missing); "no such account" is 0 and no entry.
        using var scenario = new HookScenario($"{Root} migrated\n");
        Dictionary<string, string> env = AccountOutage.Around(CheckpasswordScenario.Environment(scenario, lookup: true), Root, Enoent);
        (HookRun run, ExecRecord? exec) = CheckpasswordScenario.Lookup(scenario, CheckpasswordScenario.Request(Root), env);
        Assert.Equal(111, run.ExitCode);
        Assert.Null(exec);
        Assert.Contains("(ENOENT)", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownUserIsStillUnknownWhileOtherNamesFail()
    {
        using var scenario = new HookScenario();
        Dictionary<string, string> env = AccountOutage.Around(CheckpasswordScenario.Environment(scenario, lookup: true), Root);
        (HookRun run, ExecRecord? exec) = CheckpasswordScenario.Lookup(scenario, CheckpasswordScenario.Request("drh-no-such-account"), env);
        Assert.Equal(3, run.ExitCode);
        Assert.Null(exec);
    }

    [Fact]
    public void TheAccountIsAnsweredWhenOnlyOtherNamesFail()
    {
        using var scenario = new HookScenario($"{Root} migrated\n");
        Dictionary<string, string> env = AccountOutage.Around(CheckpasswordScenario.Environment(scenario, lookup: true), "daemon");
        (HookRun run, ExecRecord? exec) = CheckpasswordScenario.Lookup(scenario, CheckpasswordScenario.Request(Root), env);
        Assert.NotNull(exec);
        Assert.Equal("/root", exec.Environment["HOME"]);
        Assert.Equal("", run.Stderr);
    }

    [Fact]
    public void APassdbChainDuringAnOutageExits111NamingTheErrnoNotAMissingAccount()
    {
        using var scenario = new HookScenario($"{Root} migrated\n");
        Dictionary<string, string> env = AccountOutage.Around(CheckpasswordScenario.Environment(scenario, lookup: false), Root, Eio);
        env["USER"] = Root;
        env["HOME"] = "/root";
        File.Delete(scenario.RecordPath);
        HookRun run = PublishedHook.Run(env, [PublishedHook.Recorder, scenario.RecordPath, "/usr/lib/dovecot/checkpassword-reply"]);
        Assert.Equal(111, run.ExitCode);
        Assert.False(File.Exists(scenario.RecordPath));
        string line = Assert.Single(run.Stderr.TrimEnd('\n').Split('\n'));
        Assert.Contains($"authentication for {Root} failed temporarily: getpwnam_r {Root}: Input/output error (EIO)", line, StringComparison.Ordinal);
    }
}
