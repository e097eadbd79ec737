namespace DovecotRootHelper.LoginHook.Tests;

public class LoginRefusalTests
{
    private const string ImapUnavailable = "* BYE [UNAVAILABLE] ";

    [Fact]
    public void AMigratingUserGetsOneUntaggedByeAndNothingIsExecuted()
    {
        using var scenario = new HookScenario("alice migrating 2026-11-28 root\n");
        (HookRun run, ExecRecord? exec) = scenario.Login();
        Assert.Null(exec);
        Assert.Equal("* BYE [UNAVAILABLE] Your mailbox is being moved; please try again in a few minutes.\r\n", run.Stdout);
        Assert.Equal(0, run.ExitCode);
    }

    [Fact]
    public void Pop3GetsASysTempErrorWhenTheHookIsCalledByItsPop3Name()
    {
        using var scenario = new HookScenario("alice migrating\n");
        string pop3 = Path.Combine(scenario.Dir, "dovecot-root-helper-pop3");
        File.CreateSymbolicLink(pop3, PublishedHook.Binary);
        (HookRun run, ExecRecord? exec) = scenario.Login(scenario.LoginEnvironment(), pop3);
        Assert.Null(exec);
        Assert.StartsWith("-ERR [SYS/TEMP] ", run.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("\r\n", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Pop3CanAlsoBeNamedByAUserdbField()
    {
        using var scenario = new HookScenario("alice migrating\n");
        Dictionary<string, string> env = scenario.LoginEnvironment();
        env["DOVECOT_ROOT_HELPER_PROTOCOL"] = "pop3";
        Assert.StartsWith("-ERR [SYS/TEMP] ", scenario.Login(env).Run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void AMalformedLineForTheUserRefusesTheLoginAndNamesFileAndLine()
    {
        using var scenario = new HookScenario("bob legacy\nalice migratd\n");
        (HookRun run, ExecRecord? exec) = scenario.Login();
        Assert.Null(exec);
        Assert.StartsWith(ImapUnavailable, run.Stdout, StringComparison.Ordinal);
        Assert.Contains($"{scenario.StatePath}:2: unknown state 'migratd'", run.Stderr, StringComparison.Ordinal);
        Assert.Single(run.Stderr.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void ADuplicateUserRefusesTheLogin()
    {
        using var scenario = new HookScenario("alice legacy\nalice migrated\n");
        (HookRun run, ExecRecord? exec) = scenario.Login();
        Assert.Null(exec);
        Assert.Contains($"{scenario.StatePath}:2: user 'alice' is listed again (first at line 1)", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void ACorruptStateFileRefusesEveryone()
    {
        using var scenario = new HookScenario();
        File.WriteAllBytes(scenario.StatePath, [.. "bob legacy\n"u8, 0, 0, 0, 0, 0x0A]);
        foreach (string user in new[] { "alice", "bob", "nobody-listed" })
        {
            (HookRun run, ExecRecord? exec) = scenario.Login(user);
            Assert.Null(exec);
            Assert.StartsWith(ImapUnavailable, run.Stdout, StringComparison.Ordinal);
            Assert.Contains("control byte 0x00", run.Stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void AMissingStateFileRefusesTheLogin()
    {
        using var scenario = new HookScenario();
        File.Delete(scenario.StatePath);
        (HookRun run, ExecRecord? exec) = scenario.Login();
        Assert.Null(exec);
        Assert.Contains($"{scenario.StatePath}: cannot open", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingStateFileIsLoggedAsENOENT()
    {
        // Not EINVAL: errno is read before Mono.Posix's first use (e.g. for the log line) can overwrite it.
        using var scenario = new HookScenario();
        File.Delete(scenario.StatePath);
        (HookRun run, ExecRecord? exec) = scenario.Login();
        Assert.Null(exec);
        Assert.Contains($"{scenario.StatePath}: cannot open: No such file or directory (ENOENT)", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("EINVAL", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void ASymlinkedStateFileIsLoggedAsELOOP()
    {
        using var scenario = new HookScenario();
        string real = Path.Combine(scenario.Dir, "real-state");
        File.Move(scenario.StatePath, real);
        File.CreateSymbolicLink(scenario.StatePath, real);
        (HookRun run, ExecRecord? exec) = scenario.Login();
        Assert.Null(exec);
        Assert.StartsWith(ImapUnavailable, run.Stdout, StringComparison.Ordinal);
        Assert.Contains($"{scenario.StatePath}: cannot open: Too many levels of symbolic links (ELOOP)", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("EINVAL", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void AFifoAsTheStateFileRefusesTheLoginAtOnce()
    {
        // The hook once blocked in open(2) for ever; PublishedHook.Run gives up (and fails) after 30 s.
        using var scenario = new HookScenario();
        File.Delete(scenario.StatePath);
        MakeFifo(scenario.StatePath);
        (HookRun run, ExecRecord? exec) = scenario.Login();
        Assert.Null(exec);
        Assert.StartsWith(ImapUnavailable, run.Stdout, StringComparison.Ordinal);
        Assert.Contains($"{scenario.StatePath}: refused: not a regular file (a FIFO)", run.Stderr, StringComparison.Ordinal);
        Assert.Single(run.Stderr.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void AFifoAsTheConfigRefusesTheLoginAtOnce()
    {
        using var scenario = new HookScenario("alice migrated\n");
        File.Delete(scenario.ConfigPath);
        MakeFifo(scenario.ConfigPath);
        (HookRun run, ExecRecord? exec) = scenario.Login();
        Assert.Null(exec);
        Assert.StartsWith(ImapUnavailable, run.Stdout, StringComparison.Ordinal);
        Assert.Contains($"{scenario.ConfigPath}: refused: not a regular file (a FIFO)", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void AFifoAsTheIndexIsIgnored()
    {
        using var scenario = new HookScenario("alice migrated\n");
        MakeFifo(scenario.StatePath + ".index");
        (HookRun run, ExecRecord? exec) = scenario.Login();
        Assert.Equal("", run.Stderr);
        Assert.Equal($"mbox:{scenario.Home}/IMAP:INBOX=/var/mail/alice", exec?.Environment["MAIL"]);
    }

    private static void MakeFifo(string path) =>
        Assert.Equal(0, NativeProcess.Run("/usr/bin/mkfifo", ["-m", "0644", path]).ExitCode);

    [Fact]
    public void AStateFileOthersCanWriteRefusesTheLogin()
    {
        using var scenario = new HookScenario("alice migrated\n");
        File.SetUnixFileMode(scenario.StatePath, (UnixFileMode)0x1B6);
        (HookRun run, ExecRecord? exec) = scenario.Login();
        Assert.Null(exec);
        Assert.Contains("lets others than its owner write it", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void ABadConfigRefusesTheLoginWithOneLineNamingTheSetting()
    {
        using var scenario = new HookScenario("alice migrated\n", version: "3.0");
        (HookRun run, ExecRecord? exec) = scenario.Login();
        Assert.Null(exec);
        Assert.StartsWith(ImapUnavailable, run.Stdout, StringComparison.Ordinal);
        Assert.Contains($"{scenario.ConfigPath}:2: [dovecot] version = 3.0: expected 2.3 or 2.4", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void AUserWithoutAHomeCannotGetATildeLocation()
    {
        using var scenario = new HookScenario("alice migrated\n");
        Dictionary<string, string> env = scenario.LoginEnvironment();
        env.Remove("HOME");
        (HookRun run, ExecRecord? exec) = scenario.Login(env);
        Assert.Null(exec);
        Assert.Contains("has no home directory", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a b")]
    [InlineData("#x")]
    public void AMissingOrImpossibleUserNameRefusesTheLogin(string user)
    {
        using var scenario = new HookScenario("alice migrated\n");
        (HookRun run, ExecRecord? exec) = scenario.Login(user);
        Assert.Null(exec);
        Assert.StartsWith(ImapUnavailable, run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void ANextProgramThatCannotBeExecutedRefusesTheLogin()
    {
        using var scenario = new HookScenario("alice migrated\n");
        HookRun run = PublishedHook.Run(scenario.LoginEnvironment(), [Path.Combine(scenario.Dir, "missing-script-login")]);
        Assert.StartsWith(ImapUnavailable, run.Stdout, StringComparison.Ordinal);
        Assert.Contains("execve", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void RunByHandWithoutArgumentsItPrintsUsageAndExits64()
    {
        using var scenario = new HookScenario("alice migrated\n");
        HookRun run = PublishedHook.Run(scenario.LoginEnvironment(), []);
        Assert.Equal(64, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.Contains("usage:", run.Stderr, StringComparison.Ordinal);
    }
}
