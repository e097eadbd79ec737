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
}
