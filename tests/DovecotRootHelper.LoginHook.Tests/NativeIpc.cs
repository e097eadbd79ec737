using System.Runtime.InteropServices;
using System.Text;
using DovecotRootHelper.Posix;

namespace DovecotRootHelper.LoginHook.Tests;

/// <summary>
/// The descriptor plumbing the hand-off tests need and .NET does not offer: socket pairs, pipes,
/// starting a program with chosen descriptors (posix_spawn), and sending or receiving a message with
/// a descriptor attached (SCM_RIGHTS).
/// </summary>
public static unsafe partial class NativeIpc
{
    // The same on x86-64 and arm64; NativeIpcConstantsTests checks them against both architectures' headers.
    internal const int Unix = 1;          // AF_UNIX
    internal const int Stream = 1;        // SOCK_STREAM
    internal const int SocketLevel = 1;   // SOL_SOCKET
    internal const int PassRights = 1;    // SCM_RIGHTS
    internal const int DontWait = 0x40;   // MSG_DONTWAIT

    // open(2)'s flags, from the hook's own per-architecture table (linked in from src/DovecotRootHelper/Posix).
    private static readonly FileOpenFlags Flags = FileOpenFlags.Native;
    private static readonly int CloseOnExec = Flags.CloseOnExec; // O_CLOEXEC, SOCK_CLOEXEC
    private static readonly int WriteOnly = Flags.WriteOnly;
    private static readonly int Create = Flags.Create;
    private static readonly int Truncate = Flags.Truncate;

    public static (int A, int B) SocketPair()
    {
        int* fds = stackalloc int[2];
        if (Socketpair(Unix, Stream | CloseOnExec, 0, fds) != 0)
            throw new IOException($"socketpair: errno {Marshal.GetLastPInvokeError()}");
        return (fds[0], fds[1]);
    }

    public static (int Read, int Write) Pipe()
    {
        int* fds = stackalloc int[2];
        if (Pipe2(fds, CloseOnExec) != 0)
            throw new IOException($"pipe2: errno {Marshal.GetLastPInvokeError()}");
        return (fds[0], fds[1]);
    }

    /// <summary>Starts <paramref name="binary"/> with each (from, to) descriptor duplicated onto <c>to</c> and stderr to a file.</summary>
    public static int Spawn(string binary, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, IReadOnlyList<(int From, int To)> descriptors, string stderrPath)
    {
        foreach ((int from, int to) in descriptors)
        {
            // dup2 runs in order: a source that is also an earlier target would be overwritten first.
            if (descriptors.Any(other => other.To == from && other.From != from))
                throw new InvalidOperationException($"fd {from} is both a source and a target ({to})");
        }
        byte* actions = stackalloc byte[256];
        Check(PosixSpawnFileActionsInit(actions), "posix_spawn_file_actions_init");
        foreach ((int from, int to) in descriptors)
            Check(PosixSpawnFileActionsAddDup2(actions, from, to), $"adddup2 {to}");
        Check(PosixSpawnFileActionsAddOpen(actions, 2, stderrPath, WriteOnly | Create | Truncate, (uint)TempDirectory.UserReadWriteOthersRead), "addopen 2");
        string[] argv = [binary, .. arguments];
        string[] envp = environment.Select(pair => pair.Key + "=" + pair.Value).ToArray();
        nint* args = Strings(argv);
        nint* env = Strings(envp);
        try
        {
            int pid;
            Check(PosixSpawn(&pid, binary, actions, null, args, env), "posix_spawn " + binary);
            return pid;
        }
        finally
        {
            Free(args, argv.Length);
            Free(env, envp.Length);
            _ = PosixSpawnFileActionsDestroy(actions);
        }
    }

    /// <summary>The exit status (128 + N for signal N), or null if still running after <paramref name="timeout"/>.</summary>
    public static int? Wait(int pid, TimeSpan timeout)
    {
        int status;
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (Waitpid(pid, &status, 1) != pid)
        {
            if (Environment.TickCount64 > deadline)
                return null;
            Thread.Sleep(5);
        }
        return (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F);
    }

    /// <summary>Waits for <paramref name="pid"/>; kills it and throws if it outlives <paramref name="timeoutSeconds"/>.</summary>
    public static int WaitOrKill(int pid, int timeoutSeconds = 30)
    {
        int? exit = Wait(pid, TimeSpan.FromSeconds(timeoutSeconds));
        if (exit is int code)
            return code;
        Kill(pid, 9);
        _ = Wait(pid, TimeSpan.FromSeconds(5));
        throw new TimeoutException($"pid {pid} did not finish in {timeoutSeconds} s");
    }

    public static void Kill(int pid, int signal) => _ = KillProcess(pid, signal);

    public static void Close(int fd)
    {
        if (fd >= 0)
            _ = CloseFd(fd);
    }

    /// <summary>Sends <paramref name="data"/> with <paramref name="descriptor"/> attached.</summary>
    public static void Send(int socket, byte[] data, int descriptor)
    {
        fixed (byte* bytes = data)
        {
            var vector = new IoVector { Base = bytes, Length = (nuint)data.Length };
            byte* control = stackalloc byte[24];
            *(nuint*)control = 20;
            *(int*)(control + 8) = SocketLevel;
            *(int*)(control + 12) = PassRights;
            *(int*)(control + 16) = descriptor;
            var message = new MessageHeader { Vector = &vector, VectorCount = 1, Control = control, ControlLength = 24 };
            if (Sendmsg(socket, &message, 0) != data.Length)
                throw new IOException($"sendmsg: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>One message and the descriptor sent with it (-1 if none); (null, -1) if nothing is there (or nothing came within <paramref name="wait"/>).</summary>
    public static (string? Text, int Fd) Receive(int socket, TimeSpan? wait = null)
    {
        if (wait is TimeSpan timeout && !Readable(socket, timeout))
            return (null, -1);
        byte* data = stackalloc byte[8192];
        byte* control = stackalloc byte[64];
        var vector = new IoVector { Base = data, Length = 8192 };
        var message = new MessageHeader { Vector = &vector, VectorCount = 1, Control = control, ControlLength = 64 };
        nint got = Recvmsg(socket, &message, DontWait);
        if (got <= 0)
            return (null, -1);
        int fd = -1;
        if (message.ControlLength >= 20 && *(int*)(control + 8) == SocketLevel && *(int*)(control + 12) == PassRights)
            fd = *(int*)(control + 16);
        return (Encoding.UTF8.GetString(data, (int)got), fd);
    }

    /// <summary>Everything readable now, without waiting.</summary>
    public static string Drain(int fd)
    {
        byte* data = stackalloc byte[4096];
        var text = new StringBuilder();
        nint got;
        while ((got = Recv(fd, data, 4096, DontWait)) > 0)
            text.Append(Encoding.UTF8.GetString(data, (int)got));
        return text.ToString();
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes from a pipe, waiting at most <paramref name="timeout"/> for each read.</summary>
    public static byte[] ReadExactly(int fd, int count, TimeSpan timeout)
    {
        byte[] result = new byte[count];
        int have = 0;
        fixed (byte* buffer = result)
        {
            while (have < count)
            {
                if (!Readable(fd, timeout))
                    throw new TimeoutException($"fd {fd}: {have} of {count} bytes after {timeout.TotalSeconds} s");
                nint got = Read(fd, buffer + have, (nuint)(count - have));
                if (got <= 0)
                    throw new IOException($"fd {fd}: end of file after {have} of {count} bytes");
                have += (int)got;
            }
        }
        return result;
    }

    public static ulong Inode(int fd)
    {
        byte* buffer = stackalloc byte[256];
        byte empty = 0;
        if (Statx(fd, &empty, 0x1000, 0x7FF, buffer) != 0)
            throw new IOException($"statx fd {fd}: errno {Marshal.GetLastPInvokeError()}");
        return *(ulong*)(buffer + 32);
    }

    private static bool Readable(int fd, TimeSpan timeout)
    {
        long descriptor = (uint)fd | (1L << 32); // struct pollfd { int fd; short events = POLLIN; short revents; }
        return Poll(&descriptor, 1, (int)timeout.TotalMilliseconds) > 0;
    }

    private static nint* Strings(string[] values)
    {
        var array = (nint*)NativeMemory.AllocZeroed((nuint)(values.Length + 1), (nuint)sizeof(nint));
        for (int i = 0; i < values.Length; i++)
            array[i] = Marshal.StringToCoTaskMemUTF8(values[i]);
        return array;
    }

    private static void Free(nint* array, int count)
    {
        for (int i = 0; i < count; i++)
            Marshal.FreeCoTaskMem(array[i]);
        NativeMemory.Free(array);
    }

    private static void Check(int result, string what)
    {
        if (result != 0)
            throw new IOException($"{what}: error {result}");
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct IoVector
    {
        public byte* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MessageHeader
    {
        public void* Name;
        public uint NameLength;
        public IoVector* Vector;
        public nuint VectorCount;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    [LibraryImport("libc", EntryPoint = "socketpair", SetLastError = true)]
    private static partial int Socketpair(int domain, int type, int protocol, int* fds);

    [LibraryImport("libc", EntryPoint = "pipe2", SetLastError = true)]
    private static partial int Pipe2(int* fds, int flags);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int CloseFd(int fd);

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int KillProcess(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "waitpid")]
    private static partial int Waitpid(int pid, int* status, int options);

    [LibraryImport("libc", EntryPoint = "poll")]
    private static partial int Poll(long* descriptors, nuint count, int timeout);

    [LibraryImport("libc", EntryPoint = "read")]
    private static partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "sendmsg", SetLastError = true)]
    private static partial nint Sendmsg(int socket, MessageHeader* message, int flags);

    [LibraryImport("libc", EntryPoint = "recvmsg", SetLastError = true)]
    private static partial nint Recvmsg(int socket, MessageHeader* message, int flags);

    [LibraryImport("libc", EntryPoint = "recv")]
    private static partial nint Recv(int socket, byte* buffer, nuint length, int flags);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static partial int Statx(int dirfd, byte* path, int flags, uint mask, byte* buffer);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_init")]
    private static partial int PosixSpawnFileActionsInit(byte* actions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_destroy")]
    private static partial int PosixSpawnFileActionsDestroy(byte* actions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_adddup2")]
    private static partial int PosixSpawnFileActionsAddDup2(byte* actions, int fd, int newFd);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_addopen", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int PosixSpawnFileActionsAddOpen(byte* actions, int fd, string path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "posix_spawn", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int PosixSpawn(int* pid, string path, byte* actions, void* attributes, nint* argv, nint* envp);
}
