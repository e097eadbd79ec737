using DovecotRootHelper.Usage.Candidates;
using DovecotRootHelper.Usage.Store;

namespace DovecotRootHelper.Usage.Tests;

public class CandidatesRankCostlyRootsFirst
{
    [Fact]
    public void AClientListingAHugeHomeOutranksTidyOnesAndTheCountStopsAtItsLimit()
    {
        using var dir = new TempDirectory();
        string huge = Home(dir, "huge", files: RootFootprint.WalkLimit + 5_000);
        string cluttered = Home(dir, "cluttered", files: 3_000);
        string indexed = Home(dir, "indexed", files: 10);
        string tidy = Home(dir, "tidy", files: 10);
        // Dovecot's index for a file that is not mail, and for an mbox.
        File.WriteAllText(Path.Combine(indexed, "file0.txt"), "call bob\n");
        Directory.CreateDirectory(Path.Combine(indexed, ".imap", "file0.txt"));
        File.WriteAllText(Path.Combine(indexed, "Archive"), "From a@b Mon Jan  1 00:00:00 2024\n\nhi\n");
        Directory.CreateDirectory(Path.Combine(indexed, ".imap", "Archive"));

        RootFootprint hugeFootprint = RootFootprint.Measure(huge);
        Assert.True(hugeFootprint.EntriesCapped);
        Assert.Equal(RootFootprint.WalkLimit, hugeFootprint.Entries);

        List<Candidate> ranked = Candidate.Rank(
        [
            new Candidate("tidy", tidy, Lists("tidy", fullTree: 0), RootFootprint.Measure(tidy)),
            new Candidate("indexed", indexed, Lists("indexed", fullTree: 0), RootFootprint.Measure(indexed)),
            new Candidate("cluttered", cluttered, Lists("cluttered", fullTree: 2), RootFootprint.Measure(cluttered)),
            new Candidate("huge", huge, Lists("huge", fullTree: 40), hugeFootprint),
        ]);
        Assert.Equal(["huge", "cluttered", "indexed", "tidy"], ranked.Select(c => c.User));
        Assert.Equal([false, false, false, true], ranked.Select(c => c.IsHarmless));
        Assert.Equal(1, ranked[2].Footprint.NonMailIndexes);
        Assert.Contains("at least 20000", ranked[0].Reasons()[1], StringComparison.Ordinal);
    }

    private static ListUsage Lists(string user, long fullTree) => new(user, fullTree + 3, fullTree, fullTree * 250_000, fullTree > 0 ? 400_000 : 0, fullTree > 0 ? 1 : null);

    private static string Home(TempDirectory dir, string name, int files)
    {
        string home = Path.Combine(dir.Path, name);
        for (int d = 0; d * 1000 < files; d++)
        {
            string sub = Path.Combine(home, $"dir{d}");
            Directory.CreateDirectory(sub);
            for (int f = d * 1000; f < Math.Min(files, (d + 1) * 1000); f++)
                File.WriteAllText(Path.Combine(d == 0 ? home : sub, $"file{f}.txt"), "");
        }
        return home;
    }
}
