using DovecotRootHelper.Configuration;
using DovecotRootHelper.Posix;
using DovecotRootHelper.State;
using Mono.Unix.Native;

namespace DovecotRootHelper.Tests;

/// <summary>One rule for the config, the state file and its index.</summary>
public class TrustedFileTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(20);

    [Fact]
    public void AFileOwnedBySomeoneElseIsRefused()
    {
        var status = new FileStatus(1, 2, FileStatus.RegularFile | FileModes.UserReadWriteOthersRead, Uid: 1234, Gid: 0, 10, 0, 0);
        Assert.Equal("owned by uid 1234, must be root or uid 102", TrustedFile.Problem(status, readerUid: 102));
    }

    [Fact]
    public void AFileOwnedByTheReaderIsAccepted() =>
        Assert.Null(TrustedFile.Problem(new FileStatus(1, 2, FileStatus.RegularFile | FileModes.UserReadWriteOthersRead, 102, 0, 10, 0, 0), readerUid: 102));

    [Fact]
    public void AGivenOwnerIsTheOnlyOneAccepted()
    {
        var rootsFile = new FileStatus(1, 2, FileStatus.RegularFile | FileModes.UserReadWriteOthersRead, 0, 0, 10, 0, 0);
        Assert.Null(TrustedFile.Problem(rootsFile, readerUid: 102, owner: 0));
        Assert.Equal("owned by uid 0, must be uid 102", TrustedFile.Problem(rootsFile, readerUid: 102, owner: 102));
    }

    [Fact]
    public void AFileTheGroupCanWriteIsRefused()
    {
        var status = new FileStatus(1, 2, FileStatus.RegularFile | FileModes.UserReadWriteOthersRead | FileModes.GroupOrOthersWrite, 0, 0, 10, 0, 0);
        Assert.Equal("mode 666 lets others than its owner write it", TrustedFile.Problem(status, readerUid: 0));
    }

    [Fact]
    public void AFifoAsTheConfigIsRefusedWithoutWaitingForAWriter()
    {
        using var dir = new TempDirectory();
        string path = Fifo(dir, "helper.conf");
        ConfigException e = Assert.Throws<ConfigException>(() => Within(() => HelperConfig.Load(path)));
        Assert.Equal($"{path}: refused: not a regular file (a FIFO)", e.Message);
    }

    [Fact]
    public void AFifoAsTheStateFileIsRefusedWithoutWaitingForAWriter()
    {
        using var dir = new TempDirectory();
        string path = Fifo(dir, "state");
        StateFileException e = Assert.Throws<StateFileException>(() => Within(() => StateFileReader.FindUser(path, "alice")));
        Assert.Equal($"{path}: refused: not a regular file (a FIFO)", e.Message);
    }

    [Fact]
    public void AFifoAsTheIndexIsIgnored()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("state", "alice migrated\n");
        Fifo(dir, "state.index");
        Assert.Equal(UserState.Migrated, Within(() => StateFileReader.FindUser(path, "alice"))?.State);
        Assert.Equal("refused (not a regular file (a FIFO)): logins scan the whole state file", Within(() => StateFileIndex.Inspect(path)).Summary);
    }

    [Fact]
    public void AMissingConfigSaysENOENT()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "helper.conf");
        ConfigException e = Assert.Throws<ConfigException>(() => HelperConfig.Load(path));
        Assert.Equal($"{path}: cannot open: No such file or directory (ENOENT)", e.Message);
    }

    [Fact]
    public void ASymlinkedStateFileSaysELOOP()
    {
        using var dir = new TempDirectory();
        string link = Path.Combine(dir.Path, "state");
        File.CreateSymbolicLink(link, dir.Write("real", "alice migrated\n"));
        StateFileException e = Assert.Throws<StateFileException>(() => StateFileReader.FindUser(link, "alice"));
        Assert.Equal($"{link}: cannot open: Too many levels of symbolic links (ELOOP)", e.Message);
    }

    private static string Fifo(TempDirectory dir, string name)
    {
        string path = Path.Combine(dir.Path, name);
        Assert.Equal(0, Syscall.mkfifo(path, FilePermissions.S_IRUSR | FilePermissions.S_IWUSR | FilePermissions.S_IRGRP | FilePermissions.S_IROTH));
        return path;
    }

    // Runs the call on another thread: a call blocked in open(2) on the FIFO fails the test instead of hanging it.
    private static T Within<T>(Func<T> call)
    {
        Task<T> task = Task.Run(call);
        Assert.True(((IAsyncResult)task).AsyncWaitHandle.WaitOne(Generous), $"still blocked after {Generous.TotalSeconds} s");
        return task.GetAwaiter().GetResult();
    }
}
