namespace DovecotRootHelper.Cli.Tests;

/// <summary>
/// The published crash-test <c>imaproot migrate USER --yes</c> is SIGKILLed (DOVECOT_ROOT_HELPER_CRASH_AT) at
/// every named phase and right after every journal step in turn; <c>imaproot resume</c> ends in the
/// planned tree and <c>imaproot resume --rollback</c> in the original one, no file lost, the state
/// file saying migrated or legacy, no journal pending.
/// </summary>
public class KilledMigrateIsResumedOrRolledBack
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AtEveryStepAndPhase(bool rollback)
    {
        int steps;
        using (var probe = new RealUserScenario())
            steps = probe.PlannedSteps().Count;
        string[] points = ["after-migrating", "after-journal", .. Enumerable.Range(0, steps).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), "after-verify", "after-migrated"];
        foreach (string point in points)
        {
            using var scenario = new RealUserScenario();
            SortedDictionary<string, string> before = scenario.Snapshot();
            List<(string Action, string PathOrFrom, string? To)> plan = scenario.PlannedSteps();

            CliRun killed = scenario.RunCrashingAt(point, "migrate", scenario.User.Name, "--yes");
            Assert.True(killed.ExitCode == 128 + 9, $"{point}: expected SIGKILL, got exit {killed.ExitCode}: {killed.Stderr}");
            Assert.Equal(point == "after-migrated" ? "migrated" : "migrating", scenario.State);
            if (point != "after-migrating")
                Assert.Contains("journal: pending", scenario.Run("status", scenario.User.Name).Stdout, StringComparison.Ordinal);

            CliRun resumed = rollback ? scenario.Run("resume", scenario.User.Name, "--rollback") : scenario.Run("resume", scenario.User.Name);
            Assert.True(resumed.ExitCode == 0, $"{point}: resume exited {resumed.ExitCode}: {resumed.Stderr}");
            SortedDictionary<string, string> expected = rollback ? before : RealUserScenario.Apply(before, plan);
            SortedDictionary<string, string> actual = rollback ? scenario.Snapshot() : RealUserScenario.Created(scenario.Snapshot(), plan);
            Assert.True(expected.SequenceEqual(actual), $"{point}: expected\n{string.Join('\n', expected)}\nactual\n{string.Join('\n', actual)}");
            Assert.Equal(rollback ? "legacy" : "migrated", scenario.State);
            Assert.Contains("journal: none pending", scenario.Run("status", scenario.User.Name).Stdout, StringComparison.Ordinal);
        }
    }
}
