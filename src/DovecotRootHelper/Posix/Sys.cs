using Mono.Unix.Native;

namespace DovecotRootHelper.Posix;

/// <summary>
/// The one thin layer over the system calls this project makes, in partial files by topic: opening
/// (<c>Sys.Open.cs</c>), reading, writing and naming files, locks, processes, and the sockets and
/// pipes Dovecot hands over. Every failure becomes an exception naming the operation, the path and
/// errno (<see cref="PosixError"/>); nothing above this layer touches errno.
/// </summary>
public static partial class Sys
{
    public const int StandardOutput = 1;
    public const int StandardError = 2;

    internal static FileStatus ToStatus(in Stat st) => new(
        st.st_dev, st.st_ino, (uint)st.st_mode, st.st_uid, st.st_gid, st.st_size, st.st_mtime, st.st_mtime_nsec,
        st.st_ctime, st.st_ctime_nsec);
}
