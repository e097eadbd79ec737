namespace DovecotRootHelper.Cli.Tests;

public class UsageAndErrorsAreDocumented
{
    [Theory]
    [InlineData("help")]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("status", "--help")]
    public void HelpPrintsUsageWithExitCodesAndSucceeds(params string[] arguments)
    {
        CliRun run = PublishedImaproot.Run(arguments);
        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("usage: imaproot", run.Stdout, StringComparison.Ordinal);
        foreach (string line in new[] { "0  ok", "1  a command failed", "2  usage error", "3  unknown user", "4  config, state file or migration journal invalid", "5  a journal is pending" })
            Assert.Contains(line, run.Stdout, StringComparison.Ordinal);
        Assert.Equal("", run.Stderr);
    }

    [Fact]
    public void NoCommandPrintsUsageOnStderrAndExits2()
    {
        CliRun run = PublishedImaproot.Run();
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.StartsWith("usage: imaproot", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("unknown command 'frob'", "frob")]
    [InlineData("unknown option --bogus", "list", "--bogus")]
    [InlineData("list: unknown option --note", "list", "--note", "x")]
    [InlineData("option --config needs a value", "list", "--config")]
    [InlineData("option --json takes no value", "list", "--json=yes")]
    [InlineData("usage: imaproot status USER...", "status")]
    [InlineData("usage: imaproot explain USER", "explain", "a", "b")]
    [InlineData("expected legacy, migrated or migrating", "list", "--state", "gone")]
    [InlineData("expected legacy or migrated", "set", "root", "half")]
    [InlineData("--uid x: expected a whole number", "explain", "root", "--uid", "x")]
    [InlineData("option --state given more than once", "list", "--state", "legacy", "--state", "migrated")]
    public void UsageErrorsExit2WithOneLine(string message, params string[] arguments)
    {
        using var scenario = new CliScenario("root legacy\n");
        CliRun run = scenario.Run(arguments);
        Assert.Equal(2, run.ExitCode);
        run.AssertOneErrorLine(message);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public void AMissingConfigFileExits4NamingIt()
    {
        CliRun run = PublishedImaproot.Run("--config", "/nonexistent/helper.conf", "list");
        Assert.Equal(4, run.ExitCode);
        run.AssertOneErrorLine("/nonexistent/helper.conf: cannot open");
    }

    [Fact]
    public void AnInvalidConfigExits4NamingTheSetting()
    {
        using var scenario = new CliScenario();
        string config = scenario.Write("bad.conf", "[state]\ndefault = sideways\n");
        CliRun run = PublishedImaproot.Run("--config", config, "list");
        Assert.Equal(4, run.ExitCode);
        run.AssertOneErrorLine("[state] default = sideways");
    }

    [Fact]
    public void AConfigOthersCanWriteIsRefused()
    {
        using var scenario = new CliScenario();
        File.SetUnixFileMode(scenario.ConfigPath, (UnixFileMode)0x1B6);
        CliRun run = scenario.Run("list");
        Assert.Equal(4, run.ExitCode);
        run.AssertOneErrorLine("lets others than its owner write it");
    }

    [Fact]
    public void OptionsMayComeAfterTheCommand()
    {
        using var scenario = new CliScenario("root legacy\n");
        CliRun run = PublishedImaproot.Run("list", "--json", "--config=" + scenario.ConfigPath);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("\"user\": \"root\"", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void VersionIsTheChangelogsTopEntryForBothPrograms()
    {
        string version = DebianChangelog.Version;
        CliRun run = PublishedImaproot.Run("--version");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal($"imaproot {version}\n", run.Stdout);
        Assert.Equal("", run.Stderr);

        CliRun hook = PublishedImaproot.Start(PublishedImaproot.Hook, ["--version"], null, "");
        Assert.Equal(0, hook.ExitCode);
        Assert.Equal($"dovecot-root-helper {version}\n", hook.Stdout);
        Assert.Equal("", hook.Stderr);
    }
}
