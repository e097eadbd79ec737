using System.Runtime.InteropServices;
using DovecotRootHelper.Posix;
using Mono.Unix.Native;

namespace DovecotRootHelper.Tests;

/// <summary>getpwnam_r through the POSIX layer: an account, no account, and the struct it fills as every architecture's C library lays it out.</summary>
public class AccountLookupTests
{
    [Fact]
    public void AnAccountIsFoundWithItsIdsAndHome()
    {
        UnixAccount root = Assert.IsType<UnixAccount>(UnixAccount.Find("root"));
        Assert.Equal(new UnixAccount("root", 0, 0, "/root"), root);
    }

    [Fact]
    public void ANameTheDatabaseDoesNotHaveIsNoAccountNotAFailure() =>
        Assert.Null(UnixAccount.Find("drh-no-such-account"));

    [Theory]
    [MemberData(nameof(FileOpenFlagsTests.Architectures), MemberType = typeof(FileOpenFlagsTests))]
    public void ThePasswdStructAndTheErrnosMatchEachArchitecturesCHeaders(string architecture, string target)
    {
        _ = architecture;
        (string, long)[] layout =
        [
            ("offsetof(struct passwd, pw_name)", Offset(nameof(Libc.PasswdEntry.Name))),
            ("offsetof(struct passwd, pw_uid)", Offset(nameof(Libc.PasswdEntry.Uid))),
            ("offsetof(struct passwd, pw_gid)", Offset(nameof(Libc.PasswdEntry.Gid))),
            ("offsetof(struct passwd, pw_dir)", Offset(nameof(Libc.PasswdEntry.Directory))),
            ("sizeof(struct passwd)", Marshal.SizeOf<Libc.PasswdEntry>()),
            ("ERANGE", (long)Errno.ERANGE), ("EINTR", (long)Errno.EINTR), ("EIO", (long)Errno.EIO),
        ];
        Assert.Equal("", CHeaders.Mismatches(target, ["stddef.h", "pwd.h", "errno.h"], layout));
    }

    private static long Offset(string field) => Marshal.OffsetOf<Libc.PasswdEntry>(field).ToInt64();
}
