using DovecotRootHelper.State;

namespace DovecotRootHelper.Tests;

public class StateFileReaderTests
{
    [Fact]
    public void ReadsAFileOwnedByRootAndWritableOnlyByItsOwner()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("state", "alice migrated\n");
        Assert.Equal(UserState.Migrated, StateFileReader.FindUser(path, "alice")?.State);
    }

    [Fact]
    public void AnEmptyFileListsNobody()
    {
        using var dir = new TempDirectory();
        Assert.Null(StateFileReader.FindUser(dir.Write("state", ""), "alice"));
    }

    [Theory]
    [InlineData(0x1B4)] // 0664
    [InlineData(0x1A6)] // 0646
    public void AFileOthersCanWriteIsRefused(int mode)
    {
        using var dir = new TempDirectory();
        string path = dir.Write("state", "alice migrated\n", (UnixFileMode)mode);
        StateFileException e = Assert.Throws<StateFileException>(() => StateFileReader.FindUser(path, "alice"));
        Assert.Contains("lets others than its owner write it", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASymbolicLinkIsNotFollowed()
    {
        using var dir = new TempDirectory();
        string target = dir.Write("real", "alice migrated\n");
        string link = System.IO.Path.Combine(dir.Path, "state");
        File.CreateSymbolicLink(link, target);
        StateFileException e = Assert.Throws<StateFileException>(() => StateFileReader.FindUser(link, "alice"));
        Assert.StartsWith(link + ": cannot open", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingFileIsAnErrorNamingIt()
    {
        using var dir = new TempDirectory();
        string path = System.IO.Path.Combine(dir.Path, "none");
        StateFileException e = Assert.Throws<StateFileException>(() => StateFileReader.FindUser(path, "alice"));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADirectoryIsRefused()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(System.IO.Path.Combine(dir.Path, "state"));
        Assert.Throws<StateFileException>(() => StateFileReader.FindUser(System.IO.Path.Combine(dir.Path, "state"), "alice"));
    }

    [Fact]
    public void ALargeFileIsSearchedToTheEnd()
    {
        using var dir = new TempDirectory();
        var text = new System.Text.StringBuilder();
        for (int i = 0; i < 100_000; i++)
            text.Append("user").Append(i.ToString("D6", System.Globalization.CultureInfo.InvariantCulture)).Append(i % 2 == 0 ? " legacy\n" : " migrated\n");
        string path = dir.Write("state", text.ToString());
        Assert.Equal(UserState.Migrated, StateFileReader.FindUser(path, "user099999")?.State);
        Assert.Equal(100_000, StateFileReader.FindUser(path, "user099999")?.Line);
        Assert.Null(StateFileReader.FindUser(path, "user100000"));
    }
}
