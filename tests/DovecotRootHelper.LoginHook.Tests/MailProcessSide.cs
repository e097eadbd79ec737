using System.Runtime.InteropServices;
using System.Text;

namespace DovecotRootHelper.Tests;

/// <summary>
/// Plays imap's side of script-login's hand-off: starts a program with fd 3 on one Unix socket
/// (the socket back to the mail process) and stdin/stdout on another (the client's), then reads
/// what arrives on fd 3's other end: the userdb reply line and the descriptor sent with it.
/// </summary>
public static unsafe partial class MailProcessSide
{
    private const int Unix = 1;
    private const int Stream = 1;
    private const int SocketLevel = 1;
    private const int PassRights = 1;
    private const int WriteOnly = 1;
    private const int Create = 0x40;
    private const int Truncate = 0x200;
    private const int DontWait = 0x40;

    /// <summary>What the program handed back: the reply line (null if none), whether the descriptor it sent is our client socket, stdout, stderr.</summary>
    public sealed record Handoff(int ExitCode, string? Reply, bool SentClientSocket, string ClientSaw, string Stderr);

    /// <summary>Runs <paramref name="binary"/>; with <paramref name="mailSocket"/> false fd 3 is left closed.</summary>
    public static Handoff Run(string binary, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, string stderrPath, bool mailSocket = true, bool mailProcessGone = false)
    {
        int[] mail = SocketPair();
        int[] client = SocketPair();
        try
        {
            if (mailProcessGone)
            {
                _ = Close(mail[0]);
                mail[0] = -1;
            }
            int pid = Spawn(binary, arguments, environment, mailSocket ? mail[1] : -1, client[1], stderrPath);
            ulong clientEnd = Inode(client[1]);
            _ = Close(mail[1]);
            mail[1] = -1;
            _ = Close(client[1]);
            client[1] = -1;
            int exit = Wait(pid);
            string? reply = null;
            bool sentClient = false;
            if (mail[0] >= 0)
            {
                (reply, int received) = Receive(mail[0]);
                if (received >= 0)
                {
                    sentClient = Inode(received) == clientEnd;
                    _ = Close(received);
                }
            }
            return new Handoff(exit, reply, sentClient, Drain(client[0]), File.ReadAllText(stderrPath));
        }
        finally
        {
            foreach (int fd in mail.Concat(client))
            {
                if (fd >= 0)
                    _ = Close(fd);
            }
        }
    }

    private static int[] SocketPair()
    {
        int* fds = stackalloc int[2];
        if (Socketpair(Unix, Stream | 0x80000, 0, fds) != 0)
            throw new IOException($"socketpair: errno {Marshal.GetLastPInvokeError()}");
        return [fds[0], fds[1]];
    }

    private static int Spawn(string binary, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, int fd3, int clientFd, string stderrPath)
    {
        byte* actions = stackalloc byte[256];
        Check(PosixSpawnFileActionsInit(actions), "posix_spawn_file_actions_init");
        if (fd3 >= 0)
            Check(PosixSpawnFileActionsAddDup2(actions, fd3, 3), "adddup2 3");
        Check(PosixSpawnFileActionsAddDup2(actions, clientFd, 0), "adddup2 0");
        Check(PosixSpawnFileActionsAddDup2(actions, clientFd, 1), "adddup2 1");
        Check(PosixSpawnFileActionsAddOpen(actions, 2, stderrPath, WriteOnly | Create | Truncate, 0x1A4), "addopen 2");
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

    private static int Wait(int pid)
    {
        int status;
        long deadline = Environment.TickCount64 + 30_000;
        while (true)
        {
            int done = Waitpid(pid, &status, 1);
            if (done == pid)
                break;
            if (Environment.TickCount64 > deadline)
            {
                _ = Kill(pid, 9);
                _ = Waitpid(pid, &status, 0);
                throw new TimeoutException($"pid {pid} did not finish in 30 s");
            }
            Thread.Sleep(5);
        }
        return (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F);
    }

    private static (string? Reply, int Fd) Receive(int socket)
    {
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

    private static ulong Inode(int fd)
    {
        byte* buffer = stackalloc byte[256];
        byte empty = 0;
        if (Statx(fd, &empty, 0x1000, 0x7FF, buffer) != 0)
            throw new IOException($"statx fd {fd}: errno {Marshal.GetLastPInvokeError()}");
        return *(ulong*)(buffer + 32);
    }

    private static string Drain(int fd)
    {
        byte* data = stackalloc byte[4096];
        var text = new StringBuilder();
        nint got;
        while ((got = Recv(fd, data, 4096, DontWait)) > 0)
            text.Append(Encoding.UTF8.GetString(data, (int)got));
        return text.ToString();
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

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "waitpid")]
    private static partial int Waitpid(int pid, int* status, int options);

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
