using Mono.Unix.Native;

namespace DovecotRootHelper.Posix;

public static partial class Sys
{
    /// <summary>Sets an open file's modification time to a whole second (and its access time to the same).</summary>
    public static void SetModificationTime(FileDescriptor fd, long seconds, string pathForErrors)
    {
        var times = new[] { new Timespec { tv_sec = seconds }, new Timespec { tv_sec = seconds } };
        if (Syscall.futimens(fd.Number, times) != 0)
            PosixError.Throw(PosixError.Last(), "futimens", pathForErrors);
    }
}
