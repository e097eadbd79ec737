using DovecotRootHelper.State;
using Mono.Unix.Native;

namespace DovecotRootHelper.Tests;

/// <summary>
/// The state file's directory is where root creates the lock, the temporary file and the index and
/// renames over the state file: when anyone but root (or the user imaproot runs as) may write in
/// it, sticky or not, or it is someone else's, the writer refuses before creating anything there,
/// with one line naming the directory.
/// </summary>
public class UntrustedStateDirectoryIsNotWritten
{
    public static TheoryData<string, uint, uint, string> Directories() => new()
    {
        { "world-writable", 0x1FF, 0, "mode 777" },
        { "world-writable and sticky, like /tmp", 0x3FF, 0, "mode 1777" },
        { "group-writable", 0x1FD, 0, "mode 775" },
        { "another user's", 0x1ED, 65534, "owned by uid 65534" },
    };

    [Theory]
    [MemberData(nameof(Directories))]
    public void TheWriterRefusesAndCreatesNothing(string what, uint mode, uint owner, string expected)
    {
        using var dir = new TempDirectory();
        string path = dir.Write("state", "alice legacy\n");
        Assert.Equal(0, Syscall.chown(dir.Path, owner, owner));
        File.SetUnixFileMode(dir.Path, (UnixFileMode)mode);

        StateFileException e = Assert.Throws<StateFileException>(() => StateFileWriter.Lock(path).Dispose());

        Assert.True(e.Message.StartsWith($"{dir.Path}: refused: {expected}", StringComparison.Ordinal), $"{what}: {e.Message}");
        Assert.DoesNotContain('\n', e.Message);
        Assert.Equal(["state"], Directory.EnumerateFileSystemEntries(dir.Path).Select(Path.GetFileName));
        Assert.Equal("alice legacy\n", File.ReadAllText(path));
    }

    [Fact]
    public void RootsDirectoryReadableByAllIsWritten()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("state", "alice legacy\n");
        using (StateFileWriter writer = StateFileWriter.Lock(path))
            writer.SetState("alice", UserState.Migrated, "");
        Assert.Equal("alice\tmigrated\n", File.ReadAllText(path));
    }
}
