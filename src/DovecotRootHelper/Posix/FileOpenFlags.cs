using System.Runtime.InteropServices;

namespace DovecotRootHelper.Posix;

/// <summary>
/// open(2)'s flags as this machine's kernel numbers them, the project's one vocabulary for them:
/// every open and openat goes through <c>Libc</c> with these (Mono.Posix's OpenFlags is not used).
/// Most are the same on every Linux architecture this project runs on, but not all: O_DIRECTORY
/// and O_NOFOLLOW are 0x10000 and 0x20000 on x86-64, 0x4000 and 0x8000 on arm64 (where 0x20000 is
/// O_DIRECT). Each table is checked against that architecture's C headers by a unit test; an
/// architecture without a table is refused rather than guessed.
/// </summary>
public sealed record FileOpenFlags(
    int ReadOnly, int WriteOnly, int ReadWrite, int Create, int Exclusive, int NoControllingTerminal, int Truncate,
    int Append, int NonBlocking, int Directory, int NoFollow, int CloseOnExec)
{
    // Octal, as the kernel headers write them (include/uapi/asm-generic/fcntl.h, arch/arm64/include/uapi/asm/fcntl.h).
    public static readonly FileOpenFlags X64 = new(
        ReadOnly: 0, WriteOnly: 1, ReadWrite: 2, Create: 0x40 /* 0100 */, Exclusive: 0x80 /* 0200 */,
        NoControllingTerminal: 0x100 /* 0400 */, Truncate: 0x200 /* 01000 */, Append: 0x400 /* 02000 */,
        NonBlocking: 0x800 /* 04000 */, Directory: 0x10000 /* 0200000 */, NoFollow: 0x20000 /* 0400000 */,
        CloseOnExec: 0x80000 /* 02000000 */);

    public static readonly FileOpenFlags Arm64 = X64 with { Directory = 0x4000 /* 040000 */, NoFollow = 0x8000 /* 0100000 */ };

    /// <summary>The table for the architecture this process runs on.</summary>
    public static readonly FileOpenFlags Native = For(RuntimeInformation.ProcessArchitecture);

    public static FileOpenFlags For(Architecture architecture) => architecture switch
    {
        Architecture.X64 => X64,
        Architecture.Arm64 => Arm64,
        _ => throw new PlatformNotSupportedException($"open(2) flags for {architecture} are not known; add and check a table in FileOpenFlags"),
    };
}
