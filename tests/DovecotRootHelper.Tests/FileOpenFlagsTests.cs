using System.Runtime.InteropServices;
using DovecotRootHelper.Posix;
using Mono.Unix.Native;

namespace DovecotRootHelper.Tests;

public class FileOpenFlagsTests
{
    public static TheoryData<string, string> Architectures => new()
    {
        { nameof(Architecture.X64), CHeaders.X64 },
        { nameof(Architecture.Arm64), CHeaders.Arm64 },
    };

    [Fact]
    public void TheNativeTableAgreesWithMonoPosixOnThisMachine()
    {
        FileOpenFlags flags = FileOpenFlags.Native;
        Assert.Equal(NativeConvert.FromOpenFlags(OpenFlags.O_RDONLY), flags.ReadOnly);
        Assert.Equal(NativeConvert.FromOpenFlags(OpenFlags.O_WRONLY), flags.WriteOnly);
        Assert.Equal(NativeConvert.FromOpenFlags(OpenFlags.O_RDWR), flags.ReadWrite);
        Assert.Equal(NativeConvert.FromOpenFlags(OpenFlags.O_CREAT), flags.Create);
        Assert.Equal(NativeConvert.FromOpenFlags(OpenFlags.O_EXCL), flags.Exclusive);
        Assert.Equal(NativeConvert.FromOpenFlags(OpenFlags.O_NOCTTY), flags.NoControllingTerminal);
        Assert.Equal(NativeConvert.FromOpenFlags(OpenFlags.O_TRUNC), flags.Truncate);
        Assert.Equal(NativeConvert.FromOpenFlags(OpenFlags.O_APPEND), flags.Append);
        Assert.Equal(NativeConvert.FromOpenFlags(OpenFlags.O_NONBLOCK), flags.NonBlocking);
        Assert.Equal(NativeConvert.FromOpenFlags(OpenFlags.O_DIRECTORY), flags.Directory);
        Assert.Equal(NativeConvert.FromOpenFlags(OpenFlags.O_NOFOLLOW), flags.NoFollow);
        Assert.Equal(NativeConvert.FromOpenFlags(OpenFlags.O_CLOEXEC), flags.CloseOnExec);
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void EachTableMatchesItsArchitecturesCHeaders(string architecture, string target)
    {
        FileOpenFlags flags = FileOpenFlags.For(Enum.Parse<Architecture>(architecture));
        Assert.Equal("", CHeaders.Mismatches(target, ["fcntl.h"], OpenFlagConstants(flags)));
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void TheLibcConstantsAreTheSameOnEveryArchitecture(string architecture, string target)
    {
        (string, long)[] constants =
        [
            ("LOCK_EX", Libc.LockExclusive), ("LOCK_NB", Libc.LockNonBlocking),
            ("AT_EMPTY_PATH", Libc.AtEmptyPath), ("AT_SYMLINK_NOFOLLOW", Libc.AtSymlinkNoFollow), ("STATX_BASIC_STATS", Libc.StatxBasicStats),
            ("SOL_SOCKET", Libc.SocketLevel), ("SCM_RIGHTS", Libc.PassRights), ("MSG_NOSIGNAL", Libc.NoSignal),
            ("MSG_CMSG_CLOEXEC", Libc.CloseOnExecMessage), ("SOCK_CLOEXEC", FileOpenFlags.For(Enum.Parse<Architecture>(architecture)).CloseOnExec),
            ("POLLIN", Libc.PollIn), ("POLLERR", Libc.PollError), ("POLLHUP", Libc.PollHangup), ("POLLNVAL", Libc.PollInvalid),
            ("S_IFMT", FileStatus.TypeMask), ("S_IFREG", FileStatus.RegularFile), ("S_IFDIR", FileStatus.Directory),
            ("S_IFLNK", FileStatus.SymbolicLink), ("S_IFIFO", FileStatus.Fifo), ("S_IFSOCK", FileStatus.Socket),
            ("S_IRUSR | S_IWUSR", FileModes.UserReadWrite), ("S_IRWXU", FileModes.UserAll),
            ("S_IRUSR | S_IWUSR | S_IRGRP | S_IROTH", FileModes.UserReadWriteOthersRead),
            ("S_IRWXU | S_IRGRP | S_IXGRP | S_IROTH | S_IXOTH", FileModes.UserAllOthersReadExecute),
            ("S_IWGRP | S_IWOTH", FileModes.GroupOrOthersWrite), ("S_ISUID | S_ISGID | S_ISVTX | S_IRWXU | S_IRWXG | S_IRWXO", FileModes.AllPermissions),
        ];
        // Mono.Posix's Errno is compiled in as numbers (PosixError.Last casts errno to it): they must be the kernel's.
        Errno[] errnos =
        [
            Errno.EPERM, Errno.ENOENT, Errno.EINTR, Errno.EAGAIN, Errno.EWOULDBLOCK, Errno.EACCES, Errno.EEXIST,
            Errno.ENOTDIR, Errno.EINVAL, Errno.EFBIG, Errno.ELOOP, Errno.ECONNABORTED,
        ];
        string[] headers = ["sys/file.h", "sys/mman.h", "fcntl.h", "sys/stat.h", "sys/socket.h", "poll.h", "errno.h"];
        Assert.Equal("", CHeaders.Mismatches(target, headers, [.. constants, .. errnos.Select(e => (e.ToString(), (long)e))]));
    }

    [Fact]
    public void TheX64ValueOfNoFollowIsCaughtOnArm64()
    {
        // The check itself can fail: 0x20000 is O_NOFOLLOW on x86-64 only (on arm64 it is O_DIRECT).
        string mismatches = CHeaders.Mismatches(CHeaders.Arm64, ["fcntl.h"], [("O_NOFOLLOW", FileOpenFlags.X64.NoFollow)]);
        Assert.Contains("O_NOFOLLOW is not 131072 on aarch64-linux-gnu", mismatches, StringComparison.Ordinal);
    }

    [Fact]
    public void AnArchitectureWithoutATableIsRefused() =>
        Assert.Throws<PlatformNotSupportedException>(() => FileOpenFlags.For(Architecture.RiscV64));

    private static (string, long)[] OpenFlagConstants(FileOpenFlags flags) =>
    [
        ("O_RDONLY", flags.ReadOnly), ("O_WRONLY", flags.WriteOnly), ("O_RDWR", flags.ReadWrite), ("O_CREAT", flags.Create),
        ("O_EXCL", flags.Exclusive), ("O_NOCTTY", flags.NoControllingTerminal), ("O_TRUNC", flags.Truncate),
        ("O_APPEND", flags.Append), ("O_NONBLOCK", flags.NonBlocking), ("O_DIRECTORY", flags.Directory),
        ("O_NOFOLLOW", flags.NoFollow), ("O_CLOEXEC", flags.CloseOnExec),
    ];
}
