using System.Runtime.InteropServices;

namespace DovecotRootHelper.Posix;

/// <summary>The C library calls Mono.Posix does not have.</summary>
internal static partial class Libc
{
    public const int LockExclusive = 2;
    public const int LockNonBlocking = 4;

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    internal static partial int Flock(int fd, int operation);
}
