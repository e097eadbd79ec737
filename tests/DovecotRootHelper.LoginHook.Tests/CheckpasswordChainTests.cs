namespace DovecotRootHelper.LoginHook.Tests;

public class CheckpasswordChainTests
{
    private const string Root = CheckpasswordScenario.Account;

    private static Dictionary<string, string> CheckerEnvironment(HookScenario scenario)
    {
        // What a password checker leaves after a good password: Dovecot's variables plus USER and HOME.
        Dictionary<string, string> env = CheckpasswordScenario.Environment(scenario, lookup: false);
        env["USER"] = Root;
        env["HOME"] = "/root";
        return env;
    }

    private static (HookRun Run, ExecRecord? Exec) Exec(HookScenario scenario, Dictionary<string, string> env)
    {
        File.Delete(scenario.RecordPath);
        HookRun run = PublishedHook.Run(env, [PublishedHook.Recorder, scenario.RecordPath, "/usr/lib/dovecot/checkpassword-reply"]);
        return (run, ExecRecord.Load(scenario.RecordPath));
    }

    [Fact]
    public void TheHookAddsTheLocationAndExecsTheRestOfItsArguments()
    {
        using var scenario = new HookScenario($"{Root} migrated\n");
        (HookRun run, ExecRecord? exec) = Exec(scenario, CheckerEnvironment(scenario));
        Assert.NotNull(exec);
        Assert.Equal([PublishedHook.Recorder, scenario.RecordPath, "/usr/lib/dovecot/checkpassword-reply"], exec.Argv);
        Assert.Equal("mbox:/root/IMAP:INBOX=/var/mail/root", exec.Environment["userdb_mail"]);
        Assert.Equal("userdb_uid userdb_gid userdb_mail", exec.Environment["EXTRA"]);
        Assert.False(exec.Environment.ContainsKey("AUTHORIZED"));
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public void WhatTheCheckerPutInExtraIsKept()
    {
        using var scenario = new HookScenario($"{Root} legacy\n");
        Dictionary<string, string> env = CheckerEnvironment(scenario);
        env["EXTRA"] = "userdb_uid userdb_quota_rule";
        env["userdb_uid"] = "4242";
        env["userdb_quota_rule"] = "*:storage=1G";
        ExecRecord exec = Exec(scenario, env).Exec!;
        Assert.Equal("userdb_uid userdb_quota_rule userdb_gid userdb_mail", exec.Environment["EXTRA"]);
        Assert.Equal("4242", exec.Environment["userdb_uid"]);
        Assert.Equal("mbox:/root:INBOX=/var/mail/root", exec.Environment["userdb_mail"]);
    }

    [Fact]
    public void AMigratingUserFailsTheAuthenticationTemporarilyNotAsAWrongPassword()
    {
        using var scenario = new HookScenario($"{Root} migrating\n");
        (HookRun run, ExecRecord? exec) = Exec(scenario, CheckerEnvironment(scenario));
        Assert.Equal(111, run.ExitCode);
        Assert.Null(exec);
        Assert.Contains("state migrating", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutUserFromAPasswordCheckerItFailsTemporarily()
    {
        using var scenario = new HookScenario($"{Root} migrated\n");
        Dictionary<string, string> env = CheckerEnvironment(scenario);
        env.Remove("USER");
        (HookRun run, ExecRecord? exec) = Exec(scenario, env);
        Assert.Equal(111, run.ExitCode);
        Assert.Null(exec);
        Assert.Contains("must be exec'd by a password checker", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void AUserWithoutAUnixAccountFailsTemporarily()
    {
        using var scenario = new HookScenario();
        Dictionary<string, string> env = CheckerEnvironment(scenario);
        env["USER"] = "drh-no-such-account";
        Assert.Equal(111, Exec(scenario, env).Run.ExitCode);
    }
}
