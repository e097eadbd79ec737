using System.Runtime.InteropServices;
using Mono.Unix.Native;

namespace DovecotRootHelper.Posix;

/// <summary>
/// The C library calls made directly rather than through Mono.Posix: flock and sendmsg with a descriptor, which Mono.Posix does
/// not have, the few calls on the login hook's path, and open and openat, so that open(2)'s flags
/// have one vocabulary (<see cref="FileOpenFlags"/>) rather than Mono.Posix's beside it. The first use of Mono.Posix's Syscall runs
/// its Stdlib static initialiser and loads libMonoPosixHelper, which measured 0.28 ms a login here
/// (docs/performance.md): a fifth of what the whole shell-script hook costs. Everything else goes
/// through Mono.Posix. Mono.Posix's enum constants (<see cref="Errno"/>) are compiled in as numbers and
/// load nothing. Every import that can fail sets SetLastError; <see cref="PosixError.Last"/> reads it.
/// The values below are the same on x86-64 and arm64 (a unit test checks them against both
/// architectures' C headers); open(2)'s flags, which are not, are in <see cref="FileOpenFlags"/>.
/// </summary>
internal static unsafe partial class Libc
{
    public const int LockExclusive = 2;      // LOCK_EX
    public const int LockNonBlocking = 4;    // LOCK_NB

    public const int AtEmptyPath = 0x1000;   // AT_EMPTY_PATH
    public const int AtSymlinkNoFollow = 0x100; // AT_SYMLINK_NOFOLLOW
    public const uint StatxBasicStats = 0x7FF; // STATX_BASIC_STATS

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    internal static partial int Flock(int fd, int operation);

    // open(2) is variadic; the mode is passed as the third argument on x86-64 and arm64 alike, and read only with O_CREAT.
    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Open(string path, int flags, uint mode);

    // Here rather than through Mono.Posix so that open(2)'s flags have one vocabulary, FileOpenFlags.
    [LibraryImport("libc", EntryPoint = "openat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Openat(int directory, string path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    internal static partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "pread", SetLastError = true)]
    internal static partial nint Pread(int fd, byte* buffer, nuint count, long offset);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    internal static partial nint Write(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "madvise", SetLastError = true)]
    internal static partial int Madvise(nint address, nuint length, int advice);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    internal static partial uint Geteuid();

    [LibraryImport("libc", EntryPoint = "execve", SetLastError = true)]
    internal static partial int Execve(byte* path, byte** argv, byte** envp);

    [LibraryImport("libc", EntryPoint = "sendmsg", SetLastError = true)]
    private static partial nint Sendmsg(int socket, MessageHeader* message, int flags);

    public const int SocketLevel = 1;   // SOL_SOCKET
    public const int PassRights = 1;    // SCM_RIGHTS
    public const int NoSignal = 0x4000; // MSG_NOSIGNAL: a gone peer is an error, not SIGPIPE
    private const int Interrupted = (int)Errno.EINTR;

    /// <summary>sendmsg(2) of <paramref name="data"/> with one descriptor attached (SCM_RIGHTS), as Dovecot's fd_send does.</summary>
    internal static nint SendWithDescriptor(int socket, ReadOnlySpan<byte> data, int descriptor)
    {
        fixed (byte* bytes = data)
        {
            var vector = new IoVector { Base = bytes, Length = (nuint)data.Length };
            ControlMessage control = default;
            control.Length = (nuint)(sizeof(nuint) + 2 * sizeof(int) + sizeof(int));
            control.Level = SocketLevel;
            control.Type = PassRights;
            control.Descriptor = descriptor;
            var message = new MessageHeader { Vector = &vector, VectorCount = 1, Control = &control, ControlLength = (nuint)sizeof(ControlMessage) };
            nint sent;
            do
                sent = Sendmsg(socket, &message, NoSignal);
            while (sent < 0 && Marshal.GetLastPInvokeError() == Interrupted);
            return sent;
        }
    }

    [LibraryImport("libc", EntryPoint = "recvmsg", SetLastError = true)]
    private static partial nint Recvmsg(int socket, MessageHeader* message, int flags);

    [LibraryImport("libc", EntryPoint = "accept4", SetLastError = true)]
    internal static partial int Accept4(int socket, void* address, void* addressLength, int flags);

    [LibraryImport("libc", EntryPoint = "setgroups", SetLastError = true)]
    internal static partial int Setgroups(nuint count, uint* groups);

    [LibraryImport("libc", EntryPoint = "setresgid", SetLastError = true)]
    internal static partial int Setresgid(uint real, uint effective, uint saved);

    [LibraryImport("libc", EntryPoint = "setresuid", SetLastError = true)]
    internal static partial int Setresuid(uint real, uint effective, uint saved);

    // Mono.Posix has no fchownat; a symlink is given its owner through its directory, never by path.
    [LibraryImport("libc", EntryPoint = "fchownat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Fchownat(int directory, string name, uint uid, uint gid, int flags);

    [LibraryImport("libc", EntryPoint = "getpid")]
    internal static partial int Getpid();

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int Poll(PollDescriptor* descriptors, nuint count, int timeoutMilliseconds);

    public const short PollIn = 1;          // POLLIN
    public const short PollError = 0x8;     // POLLERR
    public const short PollHangup = 0x10;   // POLLHUP
    public const short PollInvalid = 0x20;  // POLLNVAL

    /// <summary><see cref="WaitEither"/>: poll(2) failed, errno says why.</summary>
    public const int PollFailed = -1;

    /// <summary><see cref="WaitEither"/>: the listener hung up, failed or is not open (poll succeeded; errno says nothing).</summary>
    public const int ListenerBroken = -2;

    /// <summary>Waits without a timeout until <paramref name="listener"/> is readable (returns it) or <paramref name="hangup"/> is readable or hung up (returns it).</summary>
    internal static int WaitEither(int listener, int hangup)
    {
        PollDescriptor* descriptors = stackalloc PollDescriptor[2];
        descriptors[0] = new PollDescriptor { Fd = listener, Events = PollIn };
        descriptors[1] = new PollDescriptor { Fd = hangup, Events = PollIn };
        while (true)
        {
            int result = Poll(descriptors, 2, -1);
            if (result < 0 && Marshal.GetLastPInvokeError() == Interrupted)
                continue;
            if (result < 0)
                return PollFailed;
            if ((descriptors[1].ReturnedEvents & (PollIn | PollHangup | PollError)) != 0)
                return hangup;
            if ((descriptors[0].ReturnedEvents & PollIn) != 0)
                return listener;
            if ((descriptors[0].ReturnedEvents & (PollHangup | PollError | PollInvalid)) != 0)
                return ListenerBroken;
        }
    }

    /// <summary>Waits until <paramref name="fd"/> is readable: 1, or 0 on timeout, or -1 on error.</summary>
    internal static int WaitReadable(int fd, int timeoutMilliseconds)
    {
        var descriptor = new PollDescriptor { Fd = fd, Events = PollIn };
        int result;
        do
            result = Poll(&descriptor, 1, timeoutMilliseconds);
        while (result < 0 && Marshal.GetLastPInvokeError() == Interrupted);
        return result;
    }

    /// <summary>recvmsg(2) into <paramref name="buffer"/>; a descriptor passed with the data (SCM_RIGHTS) comes back in <paramref name="descriptor"/>, else -1.</summary>
    internal static nint ReceiveWithDescriptor(int socket, Span<byte> buffer, out int descriptor)
    {
        descriptor = -1;
        fixed (byte* bytes = buffer)
        {
            var vector = new IoVector { Base = bytes, Length = (nuint)buffer.Length };
            ControlMessage control = default;
            var message = new MessageHeader { Vector = &vector, VectorCount = 1, Control = &control, ControlLength = (nuint)sizeof(ControlMessage) };
            nint received;
            do
                received = Recvmsg(socket, &message, CloseOnExecMessage);
            while (received < 0 && Marshal.GetLastPInvokeError() == Interrupted);
            if (received >= 0 && message.ControlLength >= control.Length && control.Length > 0
                && control.Level == SocketLevel && control.Type == PassRights)
                descriptor = control.Descriptor;
            return received;
        }
    }

    public const int CloseOnExecMessage = 0x40000000; // MSG_CMSG_CLOEXEC

    [StructLayout(LayoutKind.Sequential)]
    private struct PollDescriptor
    {
        public int Fd;
        public short Events;
        public short ReturnedEvents;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct IoVector
    {
        public byte* Base;
        public nuint Length;
    }

    // struct cmsghdr followed by one int, padded to CMSG_SPACE(sizeof(int)).
    [StructLayout(LayoutKind.Sequential)]
    private struct ControlMessage
    {
        public nuint Length;
        public int Level;
        public int Type;
        public int Descriptor;
        private readonly int _padding;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MessageHeader
    {
        public void* Name;
        public uint NameLength;
        public IoVector* Vector;
        public nuint VectorCount;
        public ControlMessage* Control;
        public nuint ControlLength;
        public int Flags;
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static partial int Statx(int dirfd, byte* path, int flags, uint mask, StatxBuffer* buffer);

    /// <summary>fstat through statx(2), whose layout is the same on every architecture.</summary>
    internal static int FileStatus(int fd, out FileStatus status)
    {
        StatxBuffer buffer;
        byte empty = 0;
        int result = Statx(fd, &empty, AtEmptyPath, StatxBasicStats, &buffer);
        status = result != 0 ? default : new FileStatus(
            Device(buffer.DevMajor, buffer.DevMinor), buffer.Ino, buffer.Mode, buffer.Uid, buffer.Gid,
            (long)buffer.Size, buffer.MtimeSeconds, buffer.MtimeNanoseconds, buffer.CtimeSeconds, buffer.CtimeNanoseconds);
        return result;
    }

    // glibc's makedev, so devices compare equal with those Mono.Posix reports.
    private static ulong Device(uint major, uint minor) =>
        ((ulong)(major & 0xFFFFF000) << 32) | ((ulong)(major & 0xFFF) << 8) | ((ulong)(minor & 0xFFFFFF00) << 12) | (minor & 0xFF);

    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatxBuffer
    {
        [FieldOffset(20)] public uint Uid;
        [FieldOffset(24)] public uint Gid;
        [FieldOffset(28)] public ushort Mode;
        [FieldOffset(32)] public ulong Ino;
        [FieldOffset(40)] public ulong Size;
        [FieldOffset(96)] public long CtimeSeconds;
        [FieldOffset(104)] public uint CtimeNanoseconds;
        [FieldOffset(112)] public long MtimeSeconds;
        [FieldOffset(120)] public uint MtimeNanoseconds;
        [FieldOffset(136)] public uint DevMajor;
        [FieldOffset(140)] public uint DevMinor;
    }
}
