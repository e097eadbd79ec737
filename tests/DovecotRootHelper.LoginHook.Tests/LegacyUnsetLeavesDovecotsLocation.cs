namespace DovecotRootHelper.LoginHook.Tests;

/// <summary>
/// With <c>[locations] legacy</c> unset, a legacy user gets no location from the hook in any mode, so
/// Dovecot's own mail location applies (Debian's is <c>~/mail</c>, not the <c>$HOME</c> an example
/// template would have handed over); migrated users still get theirs.
/// </summary>
public class LegacyUnsetLeavesDovecotsLocation
{
    [Fact]
    public void PostLoginOnDovecot23HandsALegacyUserNoMail()
    {
        using var scenario = new HookScenario("alice legacy\n", legacy: null);
        (HookRun run, ExecRecord? exec) = scenario.Login();
        Assert.NotNull(exec);
        Assert.False(exec.Environment.ContainsKey("MAIL"), "MAIL was set");
        Assert.Equal("UID GID HOME", exec.Environment["USERDB_KEYS"]);
        Assert.False(exec.Environment.ContainsKey("DOVECOT_ROOT_HELPER_CONFIG"));
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public void PostLoginLeavesAMailFieldFromDovecotsOwnUserdbAlone()
    {
        using var scenario = new HookScenario("alice legacy\n", legacy: null);
        Dictionary<string, string> env = scenario.LoginEnvironment();
        env["MAIL"] = "maildir:~/Maildir";
        env["USERDB_KEYS"] += " MAIL";
        ExecRecord exec = scenario.Login(env).Exec!;
        Assert.Equal("maildir:~/Maildir", exec.Environment["MAIL"]);
        Assert.Equal("UID GID HOME MAIL", exec.Environment["USERDB_KEYS"]);
    }

    [Fact]
    public void PostLoginOnDovecot24HandsALegacyUserNoLocationSetting()
    {
        using var scenario = new HookScenario("alice legacy\n", version: "2.4", legacy: null);
        ExecRecord exec = scenario.Login().Exec!;
        Assert.DoesNotContain(exec.Environment.Keys, k => k.StartsWith("MAIL", StringComparison.Ordinal));
        Assert.Equal("UID GID HOME", exec.Environment["USERDB_KEYS"]);
    }

    [Fact]
    public void UnlistedUsersBelowTheUidRuleGetNoneAndThoseAboveGetTheMigratedRoot()
    {
        using var scenario = new HookScenario("", legacy: null, extraState: "migrated-from-uid = 2000");
        Assert.False(scenario.Login(uid: "1001").Exec!.Environment.ContainsKey("MAIL"));
        Assert.Equal($"mbox:{scenario.Home}/IMAP:INBOX=/var/mail/alice", scenario.Login(uid: "2000").Exec!.Environment["MAIL"]);
    }

    [Fact]
    public void CheckpasswordUserdbAnswersALegacyUserWithoutAMailField()
    {
        using var scenario = new HookScenario($"{CheckpasswordScenario.Account} legacy\n", legacy: null);
        ExecRecord exec = CheckpasswordScenario.Lookup(scenario, CheckpasswordScenario.Request(CheckpasswordScenario.Account)).Exec!;
        Assert.False(exec.Environment.ContainsKey("userdb_mail"), "userdb_mail was set");
        Assert.Equal("userdb_uid userdb_gid", exec.Environment["EXTRA"]);
        Assert.Equal("2", exec.Environment["AUTHORIZED"]);
    }
}
