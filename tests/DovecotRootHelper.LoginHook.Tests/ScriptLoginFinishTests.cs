namespace DovecotRootHelper.LoginHook.Tests;

/// <summary>
/// When the rest of argv is only Dovecot's script-login, the hook does script-login's last step
/// itself: the reply line and the client's socket go to the mail process over fd 3, byte for byte
/// what the real script-login sends.
/// </summary>
public class ScriptLoginFinishTests
{
    private const string DovecotScriptLogin = "/usr/lib/dovecot/script-login";

    [Fact]
    public void TheReplyIsByteForByteWhatDovecotsScriptLoginSends()
    {
        using var direct = new HookScenario("alice migrated\n", finish: "auto");
        using var exec = new HookScenario("alice migrated\n", finish: "exec");

        MailProcessSide.Handoff ours = Login(direct, HostileFields(direct));
        MailProcessSide.Handoff dovecots = Login(exec, HostileFields(exec));

        Assert.Equal(0, ours.ExitCode);
        Assert.Equal(0, dovecots.ExitCode);
        Assert.True(ours.SentClientSocket, ours.Stderr);
        Assert.True(dovecots.SentClientSocket, dovecots.Stderr);
        Assert.NotNull(dovecots.Reply);
        Assert.Contains($"\tmail=mbox:{exec.Home}/IMAP:INBOX=/var/mail/alice", dovecots.Reply, StringComparison.Ordinal);
        // The two homes differ only in their temporary directory.
        Assert.Equal(dovecots.Reply.Replace(exec.Dir, "DIR", StringComparison.Ordinal), ours.Reply!.Replace(direct.Dir, "DIR", StringComparison.Ordinal));
        Assert.Equal("", ours.ClientSaw);
        Assert.Equal("", ours.Stderr);
    }

    [Fact]
    public void ScriptLoginIsNotExecutedWhenTheHookFinishes()
    {
        using var scenario = new HookScenario("alice legacy\n");
        string standIn = StandIn(scenario);
        MailProcessSide.Handoff handoff = MailProcessSide.Run(PublishedHook.Binary, [standIn], scenario.LoginEnvironment(), Path.Combine(scenario.Dir, "stderr"));
        Assert.False(File.Exists(scenario.RecordPath));
        Assert.True(handoff.SentClientSocket);
        Assert.StartsWith("alice\t", handoff.Reply, StringComparison.Ordinal);
        Assert.Contains($"\tmail=mbox:{scenario.Home}:INBOX=/var/mail/alice", handoff.Reply, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("exec", "2.3")]
    [InlineData("auto", "2.4")]
    public void ScriptLoginIsExecutedWhenConfiguredOrNotDovecot23(string finish, string version)
    {
        using var scenario = new HookScenario("alice migrated\n", version: version, finish: finish);
        MailProcessSide.Handoff handoff = MailProcessSide.Run(PublishedHook.Binary, [StandIn(scenario)], scenario.LoginEnvironment(), Path.Combine(scenario.Dir, "stderr"));
        Assert.Null(handoff.Reply);
        ExecRecord exec = ExecRecord.Load(scenario.RecordPath)!;
        Assert.NotNull(exec);
        Assert.Contains("IMAP", version == "2.3" ? exec.Environment["MAIL"] : exec.Environment["MAIL_PATH"], StringComparison.Ordinal);
    }

    [Fact]
    public void ScriptLoginIsExecutedWhenFd3IsNotASocket()
    {
        using var scenario = new HookScenario("alice migrated\n");
        MailProcessSide.Run(PublishedHook.Binary, [StandIn(scenario)], scenario.LoginEnvironment(), Path.Combine(scenario.Dir, "stderr"), mailSocket: false);
        Assert.Equal($"mbox:{scenario.Home}/IMAP:INBOX=/var/mail/alice", ExecRecord.Load(scenario.RecordPath)!.Environment["MAIL"]);
    }

    [Fact]
    public void AnythingMoreInArgvIsExecuted()
    {
        using var scenario = new HookScenario("alice migrated\n");
        string standIn = StandIn(scenario);
        MailProcessSide.Handoff handoff = MailProcessSide.Run(PublishedHook.Binary, [PublishedHook.Recorder, scenario.RecordPath, standIn], scenario.LoginEnvironment(), Path.Combine(scenario.Dir, "stderr"));
        Assert.Null(handoff.Reply);
        Assert.Equal([PublishedHook.Recorder, scenario.RecordPath, standIn], ExecRecord.Load(scenario.RecordPath)!.Argv);
    }

    [Fact]
    public void AFailedHandOffRefusesTheLoginOnTheClientsSocket()
    {
        using var scenario = new HookScenario("alice migrated\n");
        MailProcessSide.Handoff handoff = MailProcessSide.Run(PublishedHook.Binary, [StandIn(scenario)], scenario.LoginEnvironment(), Path.Combine(scenario.Dir, "stderr"), mailProcessGone: true);
        Assert.Equal(0, handoff.ExitCode);
        Assert.StartsWith("* BYE [UNAVAILABLE] ", handoff.ClientSaw, StringComparison.Ordinal);
        Assert.Contains("sendmsg", handoff.Stderr, StringComparison.Ordinal);
        Assert.Single(handoff.Stderr.TrimEnd('\n').Split('\n'));
        Assert.False(File.Exists(scenario.RecordPath));
    }

    private static MailProcessSide.Handoff Login(HookScenario scenario, Dictionary<string, string> environment) =>
        MailProcessSide.Run(PublishedHook.Binary, [DovecotScriptLogin], environment, Path.Combine(scenario.Dir, "stderr"));

    // Values with the characters Dovecot's tab-escaping changes, a key listed in lower case, a key
    // whose variable is unset, and doubled blanks in USERDB_KEYS.
    private static Dictionary<string, string> HostileFields(HookScenario scenario)
    {
        Dictionary<string, string> env = scenario.LoginEnvironment();
        env["FOO_BAR"] = "tab\there\nnewline\rreturn\u0001one=equals Ünïcode";
        env["QUOTA_RULE"] = "*:storage=1G";
        env["USERDB_KEYS"] = "UID  GID HOME FOO_BAR quota_rule NOT_SET DOVECOT_ROOT_HELPER_CONFIG ";
        return env;
    }

    // Something named script-login that records being run, so a test can tell exec from hand-off.
    private static string StandIn(HookScenario scenario)
    {
        string path = Path.Combine(scenario.Dir, "script-login");
        File.WriteAllText(path, $"#!/bin/sh\nexec '{PublishedHook.Recorder}' '{scenario.RecordPath}'\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);
        return path;
    }
}
