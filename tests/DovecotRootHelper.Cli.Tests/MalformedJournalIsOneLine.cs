namespace DovecotRootHelper.Cli.Tests;

/// <summary>
/// A damaged journal (truncated, garbled by hand, a binary file in its place) makes every command
/// that reads it, run as the published imaproot, fail with exit 4 and one line naming the file,
/// never a .NET stack trace.
/// </summary>
public class MalformedJournalIsOneLine
{
    public static TheoryData<string> Damages() => new(
        "truncated in the plan", "truncated mid-record", "empty", "binary", "uid not a number", "uid too large",
        "user without uid", "move without identity", "mailbox evidence garbled", "done not a number", "done without index", "end count garbled");

    [Theory]
    [MemberData(nameof(Damages))]
    public void EveryCommandReadingItSaysSoInOneLine(string damage)
    {
        // Its own account: test classes run in parallel, and another class's scenario would move this one's home.
        using var scenario = new RealUserScenario("drhmig-cli-journal", 22012);
        // A real journal: the published imaproot killed after verifying, every step recorded.
        CliRun killed = scenario.RunCrashingAt("after-verify", "migrate", scenario.User.Name, "--yes");
        Assert.Equal(128 + 9, killed.ExitCode);
        string path = Path.Combine(Path.GetDirectoryName(scenario.ConfigPath)!, "journal", scenario.User.Name + ".journal");
        string good = File.ReadAllText(path);
        Assert.Contains("\ndone\t0\n", good, StringComparison.Ordinal);
        File.WriteAllBytes(path, Damage(good, damage));

        string[][] commands =
        [
            ["status", scenario.User.Name],
            ["set", scenario.User.Name, "legacy"],
            ["migrate", scenario.User.Name, "--yes"],
            ["resume", scenario.User.Name],
            ["resume", scenario.User.Name, "--rollback"],
            ["rollback", scenario.User.Name],
        ];
        foreach (string[] command in commands)
        {
            CliRun run = scenario.Run(command);
            string what = $"{damage}: imaproot {string.Join(' ', command)}";
            Assert.True(run.ExitCode == 4, $"{what}: exit {run.ExitCode}, stderr: {run.Stderr}");
            Assert.DoesNotContain("Exception", run.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
            run.AssertOneErrorLine(path);
        }
    }

    private static byte[] Damage(string journal, string damage)
    {
        string[] lines = journal.Split('\n');
        string Replace(string prefix, Func<string[], string> change) =>
            string.Join('\n', lines.Select(l => l.StartsWith(prefix, StringComparison.Ordinal) && l.Length > 0 ? change(l.Split('\t')) : l));
        string text = damage switch
        {
            "truncated in the plan" => string.Join('\n', lines.Take(4)) + "\n",
            "truncated mid-record" => journal[..journal.IndexOf("\nmove\t", StringComparison.Ordinal)] + "\nmove\tArch",
            "empty" => "",
            "binary" => "\u007fELF\u0002\u0001\u0001\0\0\0\n\n",
            "uid not a number" => Replace("user\t", f => $"{f[0]}\t{f[1]}\tx{f[2]}\t{f[3]}"),
            "uid too large" => Replace("user\t", f => $"{f[0]}\t{f[1]}\t99999999999999999999\t{f[3]}"),
            "user without uid" => Replace("user\t", f => $"{f[0]}\t{f[1]}"),
            "move without identity" => Replace("move\t", f => string.Join('\t', f.Take(4))),
            "mailbox evidence garbled" => Replace("mailbox\t", f => $"{f[0]}\t{f[1]}\t-\t{f[3]}"),
            "done not a number" => Replace("done\t", _ => "done\tthree"),
            "done without index" => Replace("done\t", _ => "done\t"),
            "end count garbled" => Replace("end\t", _ => "end\t1e3"),
            _ => throw new ArgumentException(damage),
        };
        Assert.NotEqual(journal, text);
        return System.Text.Encoding.UTF8.GetBytes(text);
    }
}
