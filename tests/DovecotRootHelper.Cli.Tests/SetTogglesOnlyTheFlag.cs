using System.Text.Json;
using DovecotRootHelper.Migration;

namespace DovecotRootHelper.Cli.Tests;

public class SetTogglesOnlyTheFlag
{
    [Fact]
    public void SetRewritesOnlyThatUsersLineAndRunsTheFlushWithTheUser()
    {
        using var scenario = new CliScenario("# keep me\nalice legacy old note\nbob legacy\n", migration: "/usr/bin/touch {0}/flushed-%u");
        RewriteFlush(scenario);
        CliRun run = scenario.RunInProcess(["set", "alice", "migrated", "--note", "moved by hand"]);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal($"alice: legacy -> migrated ({scenario.StatePath} line 2)\n", run.Stdout);
        Assert.Equal("", run.Stderr);
        Assert.Equal("# keep me\nalice\tmigrated\tmoved by hand\nbob legacy\n", scenario.State);
        Assert.True(File.Exists(Path.Combine(scenario.Dir, "flushed-alice")));
    }

    [Fact]
    public void TheDefaultNoteIsAUtcTimestampAndImaproot()
    {
        using var scenario = new CliScenario("");
        CliRun run = scenario.RunInProcess(["set", "carol", "migrated"]);
        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"^carol\tmigrated\t\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ set by imaproot\n$", scenario.State);
        Assert.Equal("carol: not listed -> migrated", run.Stdout.Split(" (")[0]);
    }

    [Fact]
    public void JsonReportsPreviousStateLineAndFlush()
    {
        using var scenario = new CliScenario("alice migrated\n");
        CliRun run = scenario.RunInProcess(["set", "alice", "legacy", "--note", "n", "--json"]);
        Assert.Equal(0, run.ExitCode);
        using JsonDocument json = JsonDocument.Parse(run.Stdout);
        Assert.Equal("alice", json.RootElement.GetProperty("user").GetString());
        Assert.Equal("migrated", json.RootElement.GetProperty("previous").GetString());
        Assert.Equal("legacy", json.RootElement.GetProperty("state").GetString());
        Assert.Equal(1, json.RootElement.GetProperty("line").GetInt32());
        Assert.Equal("n", json.RootElement.GetProperty("note").GetString());
        Assert.Equal(0, json.RootElement.GetProperty("flush").GetProperty("exitCode").GetInt32());
    }

    [Fact]
    public void AMissingDoveadmIsAWarningNotAFailure()
    {
        using var scenario = new CliScenario("", migration: "/nonexistent/doveadm auth cache flush %u");
        CliRun run = scenario.RunInProcess(["set", "alice", "migrated"]);
        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("alice\tmigrated", scenario.State, StringComparison.Ordinal);
        run.AssertOneErrorLine("warning: alice: auth cache flush: cannot run '/nonexistent/doveadm auth cache flush alice'");
    }

    [Fact]
    public void AFailingFlushIsAWarningNamingItsExitCode()
    {
        using var scenario = new CliScenario("", migration: "/bin/false");
        CliRun run = scenario.RunInProcess(["set", "alice", "migrated"]);
        Assert.Equal(0, run.ExitCode);
        run.AssertOneErrorLine("'/bin/false' exited 1");
    }

    [Fact]
    public void APendingJournalRefusesWithExit5AndLeavesTheFileAlone()
    {
        using var home = new CliHome();
        MigrationPlan plan = home.InterruptedMigration(stepsDone: 3);
        // The user's line says legacy again (edited by hand, say): the journal alone must refuse.
        home.Home.SetState("alice\tlegacy");
        CliRun run = home.Run("set", "alice", "migrated");
        Assert.Equal(5, run.ExitCode);
        string journal = Journal.PathFor(home.Home.Config.Migration.JournalDirectory, "alice");
        run.AssertOneErrorLine($"alice: a migration journal is pending ({journal}, phase planned, 3 of {plan.Steps.Count} steps)");
        Assert.Equal("alice\tlegacy\n", home.State);
    }

    [Fact]
    public void AMigratingUserIsRefusedWithExit5()
    {
        using var scenario = new CliScenario("alice migrating\n");
        CliRun run = scenario.RunInProcess(["set", "alice", "legacy"]);
        Assert.Equal(5, run.ExitCode);
        run.AssertOneErrorLine("alice: is migrating");
        Assert.Equal("alice migrating\n", scenario.State);
    }

    [Fact]
    public void MigratingCannotBeSetByHand()
    {
        using var scenario = new CliScenario("alice legacy\n");
        CliRun run = scenario.Run("set", "alice", "migrating");
        Assert.Equal(5, run.ExitCode);
        run.AssertOneErrorLine("only imaproot migrate sets migrating");
        Assert.Equal("alice legacy\n", scenario.State);
    }

    [Fact]
    public void AUserNameTheFileCannotHoldIsAUsageError()
    {
        using var scenario = new CliScenario("");
        CliRun run = scenario.Run("set", "#alice", "legacy");
        Assert.Equal(2, run.ExitCode);
        run.AssertOneErrorLine("'#alice' cannot be a user name");
    }

    [Fact]
    public void ABrokenStateFileIsNotRewritten()
    {
        using var scenario = new CliScenario("alice legacy\nbob sideways\n");
        CliRun run = scenario.RunInProcess(["set", "alice", "migrated"]);
        Assert.Equal(4, run.ExitCode);
        run.AssertOneErrorLine(":2: unknown state 'sideways'");
        Assert.Equal("alice legacy\nbob sideways\n", scenario.State);
    }

    private static void RewriteFlush(CliScenario scenario)
    {
        string config = File.ReadAllText(scenario.ConfigPath).Replace("{0}", scenario.Dir, StringComparison.Ordinal);
        File.WriteAllText(scenario.ConfigPath, config);
    }
}
