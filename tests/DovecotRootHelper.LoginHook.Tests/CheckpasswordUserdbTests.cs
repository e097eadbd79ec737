using System.Text;

namespace DovecotRootHelper.LoginHook.Tests;

public class CheckpasswordUserdbTests
{
    private const string Root = CheckpasswordScenario.Account;

    [Theory]
    [InlineData("legacy", "mbox:/root:INBOX=/var/mail/root")]
    [InlineData("migrated", "mbox:/root/IMAP:INBOX=/var/mail/root")]
    public void TheLookupAnswersWithTheAccountAndTheLocationOfItsState(string state, string mail)
    {
        using var scenario = new HookScenario($"{Root} {state}\n");
        (HookRun run, ExecRecord? exec) = CheckpasswordScenario.Lookup(scenario, CheckpasswordScenario.Request(Root));
        Assert.NotNull(exec);
        Assert.Equal([PublishedHook.Recorder, scenario.RecordPath], exec.Argv);
        Assert.Equal(Root, exec.Environment["USER"]);
        Assert.Equal("/root", exec.Environment["HOME"]);
        Assert.Equal("0", exec.Environment["userdb_uid"]);
        Assert.Equal("0", exec.Environment["userdb_gid"]);
        Assert.Equal(mail, exec.Environment["userdb_mail"]);
        Assert.Equal("userdb_uid userdb_gid userdb_mail", exec.Environment["EXTRA"]);
        Assert.Equal("2", exec.Environment["AUTHORIZED"]);
        Assert.False(exec.Environment.ContainsKey("DOVECOT_ROOT_HELPER_CONFIG"));
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public void FieldsAlreadyListedInExtraAreKept()
    {
        using var scenario = new HookScenario($"{Root} migrated\n");
        Dictionary<string, string> env = CheckpasswordScenario.Environment(scenario, lookup: true);
        env["EXTRA"] = "userdb_quota_rule userdb_mail";
        env["userdb_quota_rule"] = "*:storage=1G";
        ExecRecord exec = CheckpasswordScenario.Lookup(scenario, CheckpasswordScenario.Request(Root), env).Exec!;
        Assert.Equal("userdb_quota_rule userdb_uid userdb_gid userdb_mail", exec.Environment["EXTRA"]);
        Assert.Equal("*:storage=1G", exec.Environment["userdb_quota_rule"]);
    }

    [Fact]
    public void AnUnknownUserExits3AndNothingIsExecuted()
    {
        using var scenario = new HookScenario();
        (HookRun run, ExecRecord? exec) = CheckpasswordScenario.Lookup(scenario, CheckpasswordScenario.Request("drh-no-such-account"));
        Assert.Equal(3, run.ExitCode);
        Assert.Null(exec);
    }

    [Fact]
    public void AMigratingUserFailsTemporarilyWithTheReasonLogged()
    {
        using var scenario = new HookScenario($"{Root} migrating\n");
        (HookRun run, ExecRecord? exec) = CheckpasswordScenario.Lookup(scenario, CheckpasswordScenario.Request(Root));
        Assert.Equal(111, run.ExitCode);
        Assert.Null(exec);
        Assert.Contains("state migrating", run.Stderr, StringComparison.Ordinal);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public void AStateFileItCannotTrustFailsTemporarily()
    {
        using var scenario = new HookScenario($"{Root} sideways\n");
        (HookRun run, ExecRecord? exec) = CheckpasswordScenario.Lookup(scenario, CheckpasswordScenario.Request(Root));
        Assert.Equal(111, run.ExitCode);
        Assert.Null(exec);
        Assert.Contains($"{scenario.StatePath}:1: unknown state 'sideways'", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void ADovecot24ConfigIsRefusedBecause24HasNoCheckpassword()
    {
        using var scenario = new HookScenario($"{Root} migrated\n", version: "2.4");
        (HookRun run, ExecRecord? exec) = CheckpasswordScenario.Lookup(scenario, CheckpasswordScenario.Request(Root));
        Assert.Equal(111, run.ExitCode);
        Assert.Null(exec);
        Assert.Contains("Dovecot 2.4 has no checkpassword", run.Stderr, StringComparison.Ordinal);
    }

    public static TheoryData<string, byte[], string> HostileInputs => new()
    {
        { "over-long", [.. Encoding.ASCII.GetBytes(new string('a', 600)), 0, 0, 0], "longer than 512 bytes" },
        { "no NULs", Encoding.ASCII.GetBytes("root"), "missing NUL" },
        { "one NUL", [.. Encoding.ASCII.GetBytes("root"), 0], "missing NUL" },
        { "empty", [], "missing NUL" },
        { "empty name", [0, 0, 0], "it is empty" },
        { "slash", CheckpasswordScenario.Request("../root"), "contains '/'" },
        { "newline", CheckpasswordScenario.Request("root\nx"), "white space or a control character" },
        { "tab", CheckpasswordScenario.Request("ro\tot"), "white space or a control character" },
        { "colon", CheckpasswordScenario.Request("root:x"), "contains ':'" },
        { "dash", CheckpasswordScenario.Request("-root"), "it starts with '-'" },
        { "dot-dot", CheckpasswordScenario.Request(".."), "it is not a name" },
        { "bad UTF-8", [0x72, 0xFF, 0xFE, 0, 0, 0], "not valid UTF-8" },
    };

    [Theory]
    [MemberData(nameof(HostileInputs))]
    public void HostileFd3InputIsRefusedWithAClearErrorAndNothingExecuted(string what, byte[] input, string expected)
    {
        using var scenario = new HookScenario($"{Root} migrated\n");
        (HookRun run, ExecRecord? exec) = CheckpasswordScenario.Lookup(scenario, input);
        Assert.True(run.ExitCode == 111, $"{what}: exit {run.ExitCode}");
        Assert.Null(exec);
        Assert.Contains(expected, run.Stderr, StringComparison.Ordinal);
        Assert.Single(run.Stderr.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void WithoutAPipeOnFd3ItPrintsUsageAndExits64()
    {
        using var scenario = new HookScenario($"{Root} migrated\n");
        HookRun run = PublishedHook.Run(CheckpasswordScenario.Environment(scenario, lookup: true), [PublishedHook.Recorder, scenario.RecordPath]);
        Assert.Equal(64, run.ExitCode);
        Assert.Contains("usage:", run.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(scenario.RecordPath));
    }
}
