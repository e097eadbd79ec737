using Mono.Unix.Native;

namespace DovecotRootHelper.Posix;

public static partial class Sys
{
    public static unsafe void WriteAll(int fd, ReadOnlySpan<byte> data, string pathForErrors)
    {
        while (!data.IsEmpty)
        {
            long n;
            fixed (byte* p = data)
            {
                n = Libc.Write(fd, p, (nuint)data.Length);
            }
            if (n < 0)
            {
                Errno errno = PosixError.Last();
                if (errno == Errno.EINTR)
                    continue;
                PosixError.Throw(errno, "write", pathForErrors);
            }
            data = data[(int)n..];
        }
    }

    public static void Sync(FileDescriptor fd, string pathForErrors)
    {
        if (Syscall.fsync(fd.Number) != 0)
            PosixError.Throw(PosixError.Last(), "fsync", pathForErrors);
    }

    public static void Rename(string from, string to)
    {
        if (Syscall.rename(from, to) != 0)
            PosixError.Throw(PosixError.Last(), "rename", $"{from} -> {to}");
    }

    public static void UnlinkIfExists(string path)
    {
        if (Syscall.unlink(path) != 0)
        {
            Errno errno = PosixError.Last();
            if (errno != Errno.ENOENT)
                PosixError.Throw(errno, "unlink", path);
        }
    }

    public static void ChangeMode(FileDescriptor fd, uint mode, string pathForErrors)
    {
        if (Syscall.fchmod(fd.Number, (FilePermissions)mode) != 0)
            PosixError.Throw(PosixError.Last(), "fchmod", pathForErrors);
    }

    public static void ChangeOwner(FileDescriptor fd, uint uid, uint gid, string pathForErrors)
    {
        if (Syscall.fchown(fd.Number, uid, gid) != 0)
            PosixError.Throw(PosixError.Last(), "fchown", pathForErrors);
    }
}
