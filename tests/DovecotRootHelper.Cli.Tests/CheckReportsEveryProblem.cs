using System.Text.Json;

namespace DovecotRootHelper.Cli.Tests;

public class CheckReportsEveryProblem
{
    [Fact]
    public void AGoodConfigAndStateFileSucceed()
    {
        using var scenario = new CliScenario("alice migrated\nbob legacy\n");
        CliRun run = scenario.Run("check");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal($"note: Dovecot runs post-login hook for imap and pop3\nok: {scenario.ConfigPath}, {scenario.StatePath} (2 user(s))\n", run.Stdout);
        Assert.Equal("", run.Stderr);
    }

    [Fact]
    public void EveryBadLineIsReportedWithFileAndLine()
    {
        using var scenario = new CliScenario("alice migrated\nbob sideways\ncarol\nalice legacy\n");
        CliRun run = scenario.Run("check");
        Assert.Equal(4, run.ExitCode);
        string[] lines = run.Stdout.TrimEnd('\n').Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.StartsWith($"{scenario.StatePath}:2: unknown state 'sideways'", lines[0], StringComparison.Ordinal);
        Assert.StartsWith($"{scenario.StatePath}:3: user 'carol' has no state", lines[1], StringComparison.Ordinal);
        Assert.StartsWith($"{scenario.StatePath}:4: user 'alice' is listed again (first at line 1)", lines[2], StringComparison.Ordinal);
        run.AssertOneErrorLine("3 problem(s) found");
    }

    [Fact]
    public void AMigratingUserIsANoteNotAProblem()
    {
        using var scenario = new CliScenario("carol migrating\n");
        CliRun run = scenario.Run("check");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("note: carol is migrating (line 1)", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void ABadConfigIsAProblem()
    {
        using var scenario = new CliScenario();
        string config = scenario.Write("bad.conf", "[dovecot]\nversion = 3.0\n");
        CliRun run = PublishedImaproot.Run("--config", config, "check");
        Assert.Equal(4, run.ExitCode);
        Assert.Contains("[dovecot] version = 3.0: expected 2.3 or 2.4", run.Stdout, StringComparison.Ordinal);
    }

    // Issue 19, item 3: logins no longer read these sections (a typo there refused every login);
    // check is where the administrator hears of them, each with file and line.
    [Fact]
    public void EveryTypoInImaprootsOwnSectionsIsReportedWithFileAndLine()
    {
        using var scenario = new CliScenario("alice migrated\n");
        string text = File.ReadAllText(scenario.ConfigPath).TrimEnd('\n') + "\n";
        int at = text.Count(c => c == '\n');
        string config = scenario.Write("typos.conf", text + "[usage]\nwindow-days = 0\nnamespace-prefix = INBOX\n[notices]\nbefore = notices/before.txt\n[migration]\nkick-timeout = -5\n");
        CliRun run = PublishedImaproot.Run("--config", config, "check", "--json");
        Assert.Equal(4, run.ExitCode);
        using JsonDocument json = JsonDocument.Parse(run.Stdout);
        var problems = json.RootElement.GetProperty("problems").EnumerateArray()
            .Select(p => (p.GetProperty("file").GetString(), p.GetProperty("line").GetInt32(), p.GetProperty("problem").GetString()!.Split(": expected")[0]))
            .ToList();
        Assert.Equal(
            [
                (config, at + 2, $"{config}:{at + 2}: [usage] window-days = 0"),
                (config, at + 3, $"{config}:{at + 3}: [usage] namespace-prefix = INBOX"),
                (config, at + 5, $"{config}:{at + 5}: [notices] before = notices/before.txt"),
                (config, at + 7, $"{config}:{at + 7}: [migration] kick-timeout = -5"),
            ],
            problems.OrderBy(p => p.Item2));
        run.AssertOneErrorLine("4 problem(s) found");
    }

    // Issue 19, item 6: an error reading the state file itself was taken for one about its index, and
    // check said ok. Reading /proc/self/mem at offset 0 fails with EIO (nothing is mapped there).
    [Fact]
    public void AStateFileThatCannotBeReadIsAProblem()
    {
        using var scenario = new CliScenario("alice migrated\n");
        string config = scenario.Write("unreadable.conf", File.ReadAllText(scenario.ConfigPath).Replace($"file = {scenario.StatePath}", "file = /proc/self/mem", StringComparison.Ordinal));
        CliRun run = PublishedImaproot.Run("--config", config, "check");
        Assert.Equal(4, run.ExitCode);
        Assert.StartsWith("read /proc/self/mem: ", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("EIO", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("ok:", run.Stdout, StringComparison.Ordinal);
        run.AssertOneErrorLine("1 problem(s) found");
    }

    [Fact]
    public void ABinaryStateFileIsOneProblem()
    {
        using var scenario = new CliScenario("alice migrated\n\0\0\0");
        CliRun run = scenario.Run("check");
        Assert.Equal(4, run.ExitCode);
        Assert.Contains("control byte 0x00", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckSaysWhetherTheIndexIsCurrent()
    {
        using var scenario = new CliScenario("alice migrated\n");
        Assert.Equal(0, scenario.Run("set", "bob", "legacy").ExitCode);
        CliRun current = scenario.Run("check");
        Assert.Equal(0, current.ExitCode);
        Assert.Contains($"index: {scenario.StatePath}.index: current\n", current.Stdout, StringComparison.Ordinal);

        File.AppendAllText(scenario.StatePath, "carol legacy\n");
        CliRun stale = scenario.Run("check", "--json");
        Assert.Equal(0, stale.ExitCode);
        using JsonDocument json = JsonDocument.Parse(stale.Stdout);
        JsonElement index = json.RootElement.GetProperty("index");
        Assert.Equal(scenario.StatePath + ".index", index.GetProperty("path").GetString());
        Assert.False(index.GetProperty("current").GetBoolean());
        Assert.StartsWith("stale", index.GetProperty("status").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ReindexAfterAHandEditMakesTheIndexCurrentAndLeavesTheFileAsItWas()
    {
        using var scenario = new CliScenario("alice migrated\n");
        Assert.Equal(0, scenario.Run("set", "bob", "legacy").ExitCode);
        File.AppendAllText(scenario.StatePath, "# added by hand\ncarol legacy   ticket 42\n");
        byte[] edited = File.ReadAllBytes(scenario.StatePath);
        Assert.Contains("stale", scenario.Run("check").Stdout, StringComparison.Ordinal);

        CliRun reindex = scenario.Run("reindex");

        Assert.Equal(0, reindex.ExitCode);
        Assert.Equal($"index: {scenario.StatePath}.index: current (3 user(s))\n", reindex.Stdout);
        Assert.Equal(edited, File.ReadAllBytes(scenario.StatePath));
        Assert.Contains($"index: {scenario.StatePath}.index: current\n", scenario.Run("check").Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void ReindexLeavesAFileWithProblemsAndItsIndexAlone()
    {
        using var scenario = new CliScenario("alice migrated\n");
        Assert.Equal(0, scenario.Run("set", "bob", "legacy").ExitCode);
        File.AppendAllText(scenario.StatePath, "carol sideways\n");
        byte[] edited = File.ReadAllBytes(scenario.StatePath);
        byte[] index = File.ReadAllBytes(scenario.StatePath + ".index");

        CliRun reindex = scenario.Run("reindex");

        Assert.Equal(4, reindex.ExitCode);
        Assert.Contains("unknown state 'sideways'", reindex.Stderr, StringComparison.Ordinal);
        Assert.Equal(edited, File.ReadAllBytes(scenario.StatePath));
        Assert.Equal(index, File.ReadAllBytes(scenario.StatePath + ".index"));
    }

    [Fact]
    public void JsonListsProblemsWithFileAndLine()
    {
        using var scenario = new CliScenario("alice migrated\nbob sideways\n");
        CliRun run = scenario.Run("check", "--json");
        Assert.Equal(4, run.ExitCode);
        using JsonDocument json = JsonDocument.Parse(run.Stdout);
        JsonElement root = json.RootElement;
        Assert.False(root.GetProperty("ok").GetBoolean());
        Assert.Equal(scenario.ConfigPath, root.GetProperty("config").GetString());
        Assert.Equal(scenario.StatePath, root.GetProperty("stateFile").GetString());
        Assert.Equal(1, root.GetProperty("users").GetInt32());
        JsonElement problem = root.GetProperty("problems")[0];
        Assert.Equal(scenario.StatePath, problem.GetProperty("file").GetString());
        Assert.Equal(2, problem.GetProperty("line").GetInt32());
        Assert.Contains("unknown state 'sideways'", problem.GetProperty("problem").GetString(), StringComparison.Ordinal);
    }
}
