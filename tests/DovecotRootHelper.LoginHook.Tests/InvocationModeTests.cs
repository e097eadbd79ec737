namespace DovecotRootHelper.LoginHook.Tests;

public class InvocationModeTests
{
    [Fact]
    public void APostLoginEnvironmentMixedWithACheckpasswordOneIsRefusedAsAmbiguous()
    {
        using var scenario = new HookScenario("alice migrated\n");
        Dictionary<string, string> env = scenario.LoginEnvironment();
        env["PROTO"] = "TCP";
        env["SERVICE"] = "imap";
        (HookRun run, ExecRecord? exec) = scenario.Login(env);
        Assert.Equal(64, run.ExitCode);
        Assert.Null(exec);
        Assert.Equal("", run.Stdout);
        Assert.Contains("usage:", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void RunByHandWithAProgramButNoDovecotEnvironmentItPrintsUsage()
    {
        using var scenario = new HookScenario("alice migrated\n");
        (HookRun run, ExecRecord? exec) = scenario.Login(new Dictionary<string, string> { ["USER"] = "alice", ["HOME"] = "/home/alice" });
        Assert.Equal(64, run.ExitCode);
        Assert.Null(exec);
    }

    [Fact]
    public void AnUnexpectedAuthorizedValueIsNotTakenForALookup()
    {
        using var scenario = new HookScenario("root migrated\n");
        Dictionary<string, string> env = CheckpasswordScenario.Environment(scenario, lookup: true);
        env["AUTHORIZED"] = "2";
        HookRun run = PublishedHook.RunWithFd3(env, [PublishedHook.Recorder, scenario.RecordPath], CheckpasswordScenario.Request("root"));
        Assert.Equal(64, run.ExitCode);
    }

    [Fact]
    public void WithNoArgumentsAndNoMasterEnvironmentItPrintsUsage()
    {
        HookRun run = PublishedHook.Run(new Dictionary<string, string> { ["USER"] = "alice" }, []);
        Assert.Equal(64, run.ExitCode);
        Assert.Contains("usage:", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void AsTheServiceWithoutTheMastersDescriptorsItSaysSoInOneLine()
    {
        HookRun run = PublishedHook.Run(new Dictionary<string, string> { ["DOVECOT_CHILD_PROCESS"] = "1", ["GENERATION"] = "7", ["DOVECOT_VERSION"] = "2.3.19 (9fe2a3a2e7)" }, []);
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("", run.Stdout);
        string line = Assert.Single(run.Stderr.TrimEnd('\n').Split('\n'));
        Assert.Contains("post-login service: fd 5 and 6 must be the master's pipes and fd 7 its listener", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2.4.1 (7b9e4b1a8c)", "refusing to run under Dovecot 2.4.1 (7b9e4b1a8c)")]
    [InlineData("3.0.0", "refusing to run under Dovecot 3.0.0")]
    [InlineData(null, "the master did not say its version")]
    public void AsTheServiceUnderAMasterItDoesNotKnowItRefusesInOneLine(string? version, string expected)
    {
        var env = new Dictionary<string, string> { ["DOVECOT_CHILD_PROCESS"] = "1", ["GENERATION"] = "7" };
        if (version is not null)
            env["DOVECOT_VERSION"] = version;
        HookRun run = PublishedHook.Run(env, []);
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("", run.Stdout);
        string line = Assert.Single(run.Stderr.TrimEnd('\n').Split('\n'));
        Assert.Contains("post-login service: " + expected, line, StringComparison.Ordinal);
    }
}
