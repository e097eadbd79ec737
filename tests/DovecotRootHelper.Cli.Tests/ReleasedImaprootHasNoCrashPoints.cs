using System.Text.Json;

namespace DovecotRootHelper.Cli.Tests;

/// <summary>
/// The published imaproot, the one that is packaged and run as root, carries no crash point:
/// DOVECOT_ROOT_HELPER_CRASH_AT is not in the binary and setting it kills nothing. The crash-test
/// build beside it, made from the same source, does both, so the checks can tell them apart.
/// </summary>
public class ReleasedImaprootHasNoCrashPoints
{
    [Fact]
    public void TheVariableIsOnlyInTheCrashTestBuild()
    {
        Assert.False(CrashBuild.Carries(PublishedImaproot.Binary), $"{PublishedImaproot.Binary} carries {CrashBuild.Variable}");
        Assert.True(CrashBuild.Carries(PublishedImaproot.CrashBinary), $"{PublishedImaproot.CrashBinary} does not carry {CrashBuild.Variable}");
    }

    [Fact]
    public void SettingTheVariableDoesNotKillTheReleasedBuild()
    {
        using var scenario = new CliScenario();
        string log = Path.Combine(scenario.Dir, "dovecot.log");
        File.AppendAllText(scenario.ConfigPath, $"\n[usage]\ndatabase = {Path.Combine(scenario.Dir, "usage.sqlite")}\nlogs = {log}\n");
        File.WriteAllText(log, KilledUsageScanLosesAndRepeatsNothing.Generate(0, 10, new SortedDictionary<string, long>(StringComparer.Ordinal)));
        var crashAtTheCommit = new Dictionary<string, string> { [CrashBuild.Variable] = "usage-in-commit-0" };

        CliRun killed = PublishedImaproot.Start(PublishedImaproot.CrashBinary, ["--config", scenario.ConfigPath, "usage", "scan"], crashAtTheCommit, "");
        Assert.True(killed.ExitCode == 128 + 9, $"the crash-test build: expected SIGKILL, got exit {killed.ExitCode}: {killed.Stderr}");

        CliRun scan = PublishedImaproot.Start(PublishedImaproot.Binary, ["--config", scenario.ConfigPath, "usage", "scan", "--json"], crashAtTheCommit, "");
        Assert.True(scan.ExitCode == 0, $"exit {scan.ExitCode}: {scan.Stderr}");
        using JsonDocument report = JsonDocument.Parse(scan.Stdout);
        Assert.Equal(10, report.RootElement.GetProperty("events").GetInt64());
    }
}
