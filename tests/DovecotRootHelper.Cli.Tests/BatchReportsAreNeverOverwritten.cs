using System.Globalization;

namespace DovecotRootHelper.Cli.Tests;

/// <summary>
/// A batch's report is kept as batch-TIME.txt and .json, named to the second: a batch that starts
/// in a second another batch's report already names keeps its own as batch-TIME-2 (then -3...), and
/// the earlier report stays as it was.
/// </summary>
public sealed class BatchReportsAreNeverOverwritten : IDisposable
{
    private readonly CliHome _home = new();

    [Fact]
    public void ABatchInTheSameSecondKeepsItsReportBesideTheEarlierOne()
    {
        _home.AddAccount("bob", 23002);
        string journal = _home.Home.Config.Migration.JournalDirectory;
        Directory.CreateDirectory(journal);
        File.SetUnixFileMode(journal, (UnixFileMode)0x1C0);
        // Earlier reports for every second the batch may start in: it cannot help but meet one.
        DateTime now = DateTime.UtcNow;
        var earlier = new List<string>();
        for (int s = -2; s <= 120; s++)
        {
            string stem = Path.Combine(journal, "batch-" + now.AddSeconds(s).ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture));
            File.WriteAllText(stem + ".txt", "an earlier batch\n");
            File.WriteAllText(stem + ".json", "{}\n");
            earlier.Add(stem);
        }

        CliRun run = _home.Run("migrate", "alice", "bob", "--yes");
        Assert.Equal(0, run.ExitCode);
        Assert.All(earlier, stem => Assert.Equal(("an earlier batch\n", "{}\n"), (File.ReadAllText(stem + ".txt"), File.ReadAllText(stem + ".json"))));
        string kept = Assert.Single(Directory.GetFiles(journal, "batch-*-2.txt"));
        Assert.Contains($"(report kept at {kept})", run.Stdout, StringComparison.Ordinal);
        Assert.Equal(run.Stdout[run.Stdout.IndexOf("batch of", StringComparison.Ordinal)..], File.ReadAllText(kept));
        Assert.Contains("\"migrated\": 2", File.ReadAllText(Path.ChangeExtension(kept, ".json")), StringComparison.Ordinal);
    }

    [Fact]
    public void AnOrphanJsonReportIsNotOverwrittenEither()
    {
        _home.AddAccount("bob", 23002);
        string journal = _home.Home.Config.Migration.JournalDirectory;
        Directory.CreateDirectory(journal);
        File.SetUnixFileMode(journal, (UnixFileMode)0x1C0);
        DateTime now = DateTime.UtcNow;
        for (int s = -2; s <= 120; s++)
            File.WriteAllText(Path.Combine(journal, "batch-" + now.AddSeconds(s).ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + ".json"), "{}\n");

        Assert.Equal(0, _home.Run("migrate", "alice", "bob", "--yes").ExitCode);
        Assert.All(Directory.GetFiles(journal, "batch-*Z.json"), json => Assert.Equal("{}\n", File.ReadAllText(json)));
        Assert.Empty(Directory.GetFiles(journal, "batch-*Z.txt"));
        string kept = Assert.Single(Directory.GetFiles(journal, "batch-*-2.txt"));
        Assert.True(File.Exists(Path.ChangeExtension(kept, ".json")));
    }

    public void Dispose() => _home.Dispose();
}
