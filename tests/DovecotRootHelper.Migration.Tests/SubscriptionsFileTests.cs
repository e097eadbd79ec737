using System.Text;

namespace DovecotRootHelper.Migration.Tests;

public class SubscriptionsFileTests
{
    [Fact]
    public void Version2UsesTabAsSeparator() =>
        Assert.Equal(["Archive", "sub/Entw&APw-rfe", "My Folder"],
            SubscriptionsFile.Parse(Encoding.UTF8.GetBytes("V\t2\n\nArchive\nsub\tEntw&APw-rfe\nMy Folder\n")));

    [Fact]
    public void OldFormatIsOneNameALineWithSlash() =>
        Assert.Equal(["Archive", "sub/Entw&APw-rfe"], SubscriptionsFile.Parse(Encoding.UTF8.GetBytes("Archive\nsub/Entw&APw-rfe\n\n")));

    [Fact]
    public void DuplicatesAndCarriageReturnsAreDropped() =>
        Assert.Equal(["a", "b"], SubscriptionsFile.Parse(Encoding.UTF8.GetBytes("V\t2\n\na\r\nb\na\n")));

    [Fact]
    public void AnEmptyFileHasNoNames() => Assert.Empty(SubscriptionsFile.Parse([]));

    // Found while writing the fuzz target (afl-fuzz's inputs are too small to show it): each line was
    // looked for in the list of names so far, and 100,000 names took 27 s, the 16 MB a migration reads hours.
    [Fact]
    public async Task AFileOfManyNamesIsReadInLinearTime()
    {
        string[] names = [.. Enumerable.Range(0, 400_000).Select(i => $"mailbox{i:D7}")];
        byte[] contents = Encoding.UTF8.GetBytes(string.Join('\n', names.Append(names[0])) + "\n");
        IReadOnlyList<string> parsed = await Task.Run(() => SubscriptionsFile.Parse(contents)).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(names, parsed);
    }
}
