using System.Text.Json;

namespace DovecotRootHelper.Cli.Tests;

public class ListShowsTheStateFile
{
    private const string State = "# comment\nalice migrated 2024-01-01 by hand\nbob legacy\n\ncarol migrating\n";

    [Fact]
    public void EveryUserIsListedInFileOrderWithStateAndNote()
    {
        using var scenario = new CliScenario(State);
        CliRun run = scenario.Run("list");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["alice  migrated   2024-01-01 by hand", "bob    legacy", "carol  migrating"], run.Stdout.TrimEnd('\n').Split('\n'));
        Assert.Equal("", run.Stderr);
    }

    [Fact]
    public void StateFiltersTheList()
    {
        using var scenario = new CliScenario(State);
        CliRun run = scenario.Run("list", "--state", "legacy");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("bob  legacy\n", run.Stdout);
    }

    [Fact]
    public void JsonGivesTheStateFileAndEachUsersLine()
    {
        using var scenario = new CliScenario(State);
        CliRun run = scenario.Run("list", "--json");
        Assert.Equal(0, run.ExitCode);
        using JsonDocument json = JsonDocument.Parse(run.Stdout);
        Assert.Equal(scenario.StatePath, json.RootElement.GetProperty("stateFile").GetString());
        JsonElement alice = json.RootElement.GetProperty("users")[0];
        Assert.Equal("alice", alice.GetProperty("user").GetString());
        Assert.Equal("migrated", alice.GetProperty("state").GetString());
        Assert.Equal(2, alice.GetProperty("line").GetInt32());
        Assert.Equal("2024-01-01 by hand", alice.GetProperty("note").GetString());
        Assert.Equal(3, json.RootElement.GetProperty("users").GetArrayLength());
    }

    [Fact]
    public void AnEmptyStateFileListsNobody()
    {
        using var scenario = new CliScenario("");
        CliRun run = scenario.Run("list");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public void ABrokenStateFileExits4AndPointsToCheck()
    {
        using var scenario = new CliScenario("alice migrated\nbob sideways\ncarol\n");
        CliRun run = scenario.Run("list");
        Assert.Equal(4, run.ExitCode);
        run.AssertOneErrorLine($"{scenario.StatePath}:2: unknown state 'sideways'");
        Assert.Contains("2 problem(s); imaproot check lists them", run.Stderr, StringComparison.Ordinal);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public void AMissingStateFileExits4()
    {
        using var scenario = new CliScenario(writeState: false);
        CliRun run = scenario.Run("list");
        Assert.Equal(4, run.ExitCode);
        run.AssertOneErrorLine("cannot open");
    }
}
