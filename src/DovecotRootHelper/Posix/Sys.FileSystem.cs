using Mono.Unix.Native;

namespace DovecotRootHelper.Posix;

public static partial class Sys
{
    /// <summary>The bytes an unprivileged user may still write on the file system holding <paramref name="path"/> (statvfs's f_bavail).</summary>
    public static long AvailableBytes(string path)
    {
        if (Syscall.statvfs(path, out Statvfs stat) != 0)
            PosixError.Throw(PosixError.Last(), "statvfs", path);
        return (long)Math.Min(stat.f_bavail * stat.f_frsize, long.MaxValue);
    }
}
