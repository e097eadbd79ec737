using DovecotRootHelper.Posix;

namespace DovecotRootHelper.Tests;

public class PosixLayerTests
{
    [Fact]
    public void TheLoginPathsStatxAgreesWithMonoPosixOnEveryField()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("file", "some bytes\n");
        File.SetLastWriteTimeUtc(path, new DateTime(2021, 3, 4, 5, 6, 7, 890, DateTimeKind.Utc));
        using FileDescriptor fd = Sys.OpenReadOnly(path);
        using DirectoryHandle handle = DirectoryHandle.OpenRoot(dir.Path);
        FileStatus viaStatx = Sys.Status(fd, path);
        Assert.Equal(handle.StatusOrNull("file"), viaStatx);
        Assert.Equal(11, viaStatx.Size);
        Assert.True(viaStatx.IsRegularFile);
        Assert.Equal(new DateTimeOffset(2021, 3, 4, 5, 6, 7, TimeSpan.Zero).ToUnixTimeSeconds(), viaStatx.MtimeSeconds);
        Assert.Equal(890_000_000, viaStatx.MtimeNanoseconds);
    }

    [Fact]
    public void OpenReadOnlyRefusesASymbolicLink()
    {
        using var dir = new TempDirectory();
        string target = dir.Write("target", "x");
        string link = Path.Combine(dir.Path, "link");
        File.CreateSymbolicLink(link, target);
        Assert.Throws<PosixIOException>(() => Sys.OpenReadOnly(link));
    }
}
