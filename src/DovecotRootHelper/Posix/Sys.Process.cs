using System.Runtime.InteropServices;

namespace DovecotRootHelper.Posix;

public static partial class Sys
{
#if CRASH_POINTS
    /// <summary>Sends SIGKILL to this very process: the crash-test build's crash point (CrashPoint). Does not return.</summary>
    public static void KillSelf()
    {
        _ = Mono.Unix.Native.Syscall.kill(Mono.Unix.Native.Syscall.getpid(), Mono.Unix.Native.Signum.SIGKILL);
        Thread.Sleep(Timeout.Infinite);
    }
#endif

    public static uint EffectiveUid => Libc.Geteuid();

    public static int ProcessId => Libc.Getpid();

    /// <summary>
    /// Becomes <paramref name="uid"/>/<paramref name="gid"/> for good (real, effective and saved ids),
    /// with exactly <paramref name="groups"/> as supplementary groups, and checks root cannot be regained.
    /// </summary>
    public static unsafe void DropPrivileges(uint uid, uint gid, uint[] groups)
    {
        fixed (uint* list = groups)
        {
            if (Libc.Setgroups((nuint)groups.Length, list) != 0)
                PosixError.Throw(PosixError.Last(), "setgroups", $"gid {gid}");
        }
        if (Libc.Setresgid(gid, gid, gid) != 0)
            PosixError.Throw(PosixError.Last(), "setresgid", $"gid {gid}");
        if (Libc.Setresuid(uid, uid, uid) != 0)
            PosixError.Throw(PosixError.Last(), "setresuid", $"uid {uid}");
        if (uid != 0 && Libc.Setresuid(0, 0, 0) == 0)
            throw new IOException($"uid {uid}: root could be regained after dropping privileges");
    }

    /// <summary>Replaces this process with an explicit argv and environment. Returns only by throwing. (Login path: libc directly.)</summary>
    /// <summary>execve(2) with arguments and environment as the bytes they are; returns only by throwing.</summary>
    public static unsafe void Execute(byte[][] argv, byte[][] environment)
    {
        // One unmanaged block: the strings, then the two NULL-terminated pointer arrays execve takes.
        // Nothing is freed: on success the process image is gone, on failure the caller exits.
        byte** args = PointerArray(argv);
        byte** env = PointerArray(environment);
        _ = Libc.Execve(args[0], args, env);
        PosixError.Throw(PosixError.Last(), "execve", System.Text.Encoding.UTF8.GetString(argv[0]));
    }

    private static unsafe byte** PointerArray(byte[][] values)
    {
        var array = (byte**)NativeMemory.Alloc((nuint)(values.Length + 1), (nuint)sizeof(byte*));
        for (int i = 0; i < values.Length; i++)
            array[i] = NulTerminated(values[i]);
        array[values.Length] = null;
        return array;
    }

    private static unsafe byte* NulTerminated(byte[] value)
    {
        var bytes = (byte*)NativeMemory.Alloc((nuint)value.Length + 1);
        value.CopyTo(new Span<byte>(bytes, value.Length));
        bytes[value.Length] = 0;
        return bytes;
    }
}
