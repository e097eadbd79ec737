using Mono.Unix.Native;

namespace DovecotRootHelper.Posix;

public static partial class Sys
{
    /// <summary>
    /// Blocks until this open file holds the exclusive flock(2) lock. flock rather than fcntl record
    /// locks: it belongs to the open file, so two writers in one process exclude each other too.
    /// Mono.Posix has no flock, hence the one direct import in <see cref="Libc"/>.
    /// </summary>
    public static void LockExclusive(FileDescriptor fd, string pathForErrors)
    {
        while (Libc.Flock(fd.Number, Libc.LockExclusive) != 0)
        {
            Errno errno = PosixError.Last();
            if (errno != Errno.EINTR)
                PosixError.Throw(errno, "flock", pathForErrors);
        }
    }

    /// <summary>Takes the exclusive lock if it is free; false if another open file holds it.</summary>
    public static bool TryLockExclusive(FileDescriptor fd, string pathForErrors)
    {
        while (Libc.Flock(fd.Number, Libc.LockExclusive | Libc.LockNonBlocking) != 0)
        {
            Errno errno = PosixError.Last();
            if (errno == Errno.EWOULDBLOCK)
                return false;
            if (errno != Errno.EINTR)
                PosixError.Throw(errno, "flock", pathForErrors);
        }
        return true;
    }
}
