namespace DovecotRootHelper.Cli.Tests;

/// <summary>
/// imaproot never calls an account database that did not answer (getpwnam_r returned an errno, an
/// LDAP or sssd outage; here <see cref="AccountOutage"/>) "no such user": one line naming the
/// errno, exit 6, and nothing changed.
/// </summary>
public class AccountOutageIsNotUnknownUser
{
    private const string Daemon = "daemon";

    private static CliRun RunDuringOutage(string configPath, string failing, params string[] arguments) =>
        PublishedImaproot.Start(PublishedImaproot.Binary, ["--config", configPath, .. arguments], AccountOutage.Around(
            new Dictionary<string, string> { ["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin" }, failing), "");

    [Theory]
    [InlineData("status")]
    [InlineData("plan")]
    [InlineData("explain")]
    [InlineData("usage", "show")]
    [InlineData("migrate", "--yes")]
    [InlineData("resume")]
    [InlineData("schedule", "--at", "2099-01-01T02:00")]
    public void EveryCommandThatLooksAUserUpSaysTheLookupFailedNotNoSuchUser(params string[] command)
    {
        using var scenario = new CliScenario($"{Daemon} legacy\n");
        string[] arguments = command[0] == "usage" ? [.. command, Daemon] : [command[0], Daemon, .. command[1..]];
        CliRun run = RunDuringOutage(scenario.ConfigPath, Daemon, arguments);
        Assert.True(run.ExitCode == 6, $"imaproot {string.Join(' ', arguments)}: exit {run.ExitCode}: {run.Stderr}");
        run.AssertOneErrorLine($"getpwnam_r {Daemon}: Input/output error (EIO): the account database did not answer");
        Assert.DoesNotContain("no such", run.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Equal($"{Daemon} legacy\n", scenario.State);
        Assert.False(File.Exists(Path.Combine(scenario.Dir, "journal", "schedule")));
    }

    [Fact]
    public void AnOutageForOneUserIsNotUnknownUserForTheOthersEither()
    {
        using var scenario = new CliScenario($"{Daemon} legacy\nroot migrated\n");
        CliRun run = RunDuringOutage(scenario.ConfigPath, Daemon, "status", "root", Daemon, "drh-no-such-account");
        Assert.Equal(6, run.ExitCode);
        Assert.Contains("root", run.Stdout, StringComparison.Ordinal);
        Assert.Contains($"getpwnam_r {Daemon}: Input/output error (EIO)", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("drh-no-such-account: no such user", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void AMigrationDuringAnOutageMovesNothingAndKeepsTheState()
    {
        using var scenario = new RealUserScenario("drhmig-cli-outage", 22015);
        SortedDictionary<string, string> before = scenario.Snapshot();
        string state = File.ReadAllText(scenario.ConfigPath.Replace("helper.conf", "state", StringComparison.Ordinal));
        CliRun run = RunDuringOutage(scenario.ConfigPath, scenario.User.Name, "migrate", scenario.User.Name, "--yes");
        Assert.Equal(6, run.ExitCode);
        run.AssertOneErrorLine($"getpwnam_r {scenario.User.Name}: Input/output error (EIO)");
        Assert.Equal(before, scenario.Snapshot());
        Assert.Equal("legacy", scenario.State);
        Assert.Equal(state, File.ReadAllText(scenario.ConfigPath.Replace("helper.conf", "state", StringComparison.Ordinal)));
    }
}
