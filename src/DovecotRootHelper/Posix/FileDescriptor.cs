using Microsoft.Win32.SafeHandles;

namespace DovecotRootHelper.Posix;

/// <summary>
/// An open file descriptor, closed exactly once. Every number from 0 up is a descriptor (a program
/// started with stdin closed gets 0 from its first open); only -1, what a failed call returns, is not.
/// </summary>
public sealed class FileDescriptor : SafeHandleMinusOneIsInvalid
{
    internal FileDescriptor(int fd)
        : base(ownsHandle: true) => SetHandle(fd);

    /// <summary>Takes ownership of a descriptor a system call returned (accept, SCM_RIGHTS), so it is closed exactly once.</summary>
    public static FileDescriptor Own(int fd) => new(fd);

    /// <summary>The raw descriptor number, valid while this object is alive.</summary>
    public int Number => (int)handle;

    protected override bool ReleaseHandle() => Libc.Close((int)handle) == 0;
}
