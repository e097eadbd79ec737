using DovecotRootHelper.Configuration;

namespace DovecotRootHelper.PostgreSql.Tests;

/// <summary>The connection file holds the database password: the state file's trust rule, and nobody else may read it.</summary>
public sealed class ConninfoFileMustBeRootsAlone
{
    private const string Text = "dbname = d\nuser = u\npassword = p\n";

    private const UnixFileMode RootOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public void A0600RootFileIsRead()
    {
        using var dir = new TempDirectory();
        Assert.Equal("p", ConninfoFile.Load(dir.Write("pgconn", Text, RootOnly)).Password);
    }

    [Theory]
    [InlineData(UnixFileMode.GroupRead, "lets others than its owner read it, and it holds the database password: chmod 600")]
    [InlineData(UnixFileMode.OtherRead, "lets others than its owner read it")]
    [InlineData(UnixFileMode.GroupWrite, "lets others than its owner write it")]
    public void AFileOthersCanReadOrWriteIsRefused(UnixFileMode extra, string expected)
    {
        using var dir = new TempDirectory();
        string path = dir.Write("pgconn", Text, RootOnly | extra);
        var e = Assert.Throws<ConfigException>(() => ConninfoFile.Load(path));
        Assert.StartsWith(path + ": ", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFileOwnedBySomeoneElseIsRefused()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("pgconn", Text, RootOnly);
        Assert.Equal(0, Mono.Unix.Native.Syscall.chown(path, 65534, 65534));
        var e = Assert.Throws<ConfigException>(() => ConninfoFile.Load(path));
        Assert.Contains("owned by uid 65534", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASymbolicLinkIsRefused()
    {
        using var dir = new TempDirectory();
        string target = dir.Write("pgconn", Text, RootOnly);
        string link = System.IO.Path.Combine(dir.Path, "link");
        File.CreateSymbolicLink(link, target);
        var e = Assert.Throws<ConfigException>(() => ConninfoFile.Load(link));
        Assert.StartsWith(link + ": ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingFileIsNamed()
    {
        using var dir = new TempDirectory();
        string path = System.IO.Path.Combine(dir.Path, "missing");
        var e = Assert.Throws<ConfigException>(() => ConninfoFile.Load(path));
        Assert.StartsWith(path + ": cannot open", e.Message, StringComparison.Ordinal);
    }
}
