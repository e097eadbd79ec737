using System.Runtime.InteropServices;
using Mono.Unix.Native;

namespace DovecotRootHelper.Posix;

/// <summary>
/// The one thin layer over the system calls this project makes. Every failure becomes an
/// exception naming the operation, the path and errno; nothing above this layer touches errno.
/// </summary>
public static partial class Sys
{
    public const int StandardOutput = 1;
    public const int StandardError = 2;

    /// <summary>Opens a file read-only; never follows a symbolic link in the last component. (Login path: libc directly.)</summary>
    public static FileDescriptor OpenReadOnly(string path)
    {
        int fd = Libc.Open(path, Libc.ReadOnly | Libc.NoFollow | Libc.CloseOnExec | Libc.NoControllingTerminal);
        if (fd < 0)
            PosixError.Throw("open", path);
        return new FileDescriptor(fd);
    }

    /// <summary>
    /// <see cref="OpenReadOnly"/> for a file that may well be missing (the state file's index): null
    /// instead of an exception, which costs more than the rest of the lookup. (Login path.)
    /// </summary>
    public static FileDescriptor? TryOpenReadOnly(string path)
    {
        int fd = Libc.Open(path, Libc.ReadOnly | Libc.NoFollow | Libc.CloseOnExec | Libc.NoControllingTerminal);
        return fd < 0 ? null : new FileDescriptor(fd);
    }

    /// <summary>Opens a directory for fsync and locking; never follows a symbolic link.</summary>
    public static FileDescriptor OpenDirectory(string path)
    {
        int fd = Syscall.open(path, OpenFlags.O_RDONLY | OpenFlags.O_DIRECTORY | OpenFlags.O_NOFOLLOW | OpenFlags.O_CLOEXEC);
        if (fd < 0)
            PosixError.Throw("open directory", path);
        return new FileDescriptor(fd);
    }

    /// <summary>Creates a new file that must not exist yet (O_EXCL), for writing.</summary>
    public static FileDescriptor CreateNew(string path, uint mode)
    {
        int fd = Syscall.open(path, OpenFlags.O_WRONLY | OpenFlags.O_CREAT | OpenFlags.O_EXCL | OpenFlags.O_NOFOLLOW | OpenFlags.O_CLOEXEC, (FilePermissions)mode);
        if (fd < 0)
            PosixError.Throw("create", path);
        return new FileDescriptor(fd);
    }

    /// <summary>Opens (creating if needed) a file used only as a lock.</summary>
    public static FileDescriptor OpenLockFile(string path, uint mode)
    {
        int fd = Syscall.open(path, OpenFlags.O_RDWR | OpenFlags.O_CREAT | OpenFlags.O_NOFOLLOW | OpenFlags.O_CLOEXEC, (FilePermissions)mode);
        if (fd < 0)
            PosixError.Throw("open lock file", path);
        return new FileDescriptor(fd);
    }

    /// <summary>fstat of an open file. (Login path: libc directly.)</summary>
    public static FileStatus Status(FileDescriptor fd, string pathForErrors)
    {
        if (Libc.FileStatus(fd.Number, out FileStatus status) != 0)
            PosixError.Throw("fstat", pathForErrors);
        return status;
    }

    /// <summary>lstat: describes a symbolic link itself, never its target.</summary>
    public static FileStatus? LinkStatusOrNull(string path)
    {
        if (Syscall.lstat(path, out Stat st) == 0)
            return ToStatus(st);
        Errno errno = Stdlib.GetLastError();
        if (errno is Errno.ENOENT or Errno.ENOTDIR)
            return null;
        throw PosixError.Create(errno, "lstat", path);
    }

    /// <summary>Reads the whole file from its current offset; the buffer may be longer than the data.</summary>
    public static ReadOnlyMemory<byte> ReadToEnd(FileDescriptor fd, long sizeHint, string pathForErrors)
    {
        // One spare byte lets a single read see end-of-file when the size hint was right.
        byte[] buffer = GC.AllocateUninitializedArray<byte>((int)Math.Min(Math.Max(sizeHint + 1, 256), Array.MaxLength));
        int length;
        while ((length = Fill(fd.Number, buffer, 0, null, pathForErrors)) == buffer.Length)
            Array.Resize(ref buffer, (int)Math.Min((long)buffer.Length * 2, Array.MaxLength));
        return new ReadOnlyMemory<byte>(buffer, 0, length);
    }

    /// <summary>pread(2) until <paramref name="buffer"/> is full or end-of-file; returns the bytes read. (Login path.)</summary>
    public static int ReadAt(FileDescriptor fd, Span<byte> buffer, long offset, string pathForErrors) =>
        Fill(fd.Number, buffer, 0, offset, pathForErrors);

    /// <summary>Reads at most <paramref name="limit"/> bytes from the current offset.</summary>
    public static byte[] ReadUpTo(FileDescriptor fd, int limit, string pathForErrors)
    {
        byte[] buffer = new byte[limit];
        return buffer[..Fill(fd.Number, buffer, 0, null, pathForErrors)];
    }

    // Reads into buffer from length on until it is full or at end-of-file; returns the new length.
    // With an offset, pread(2) from there (the file offset stays); without, read(2) from the current offset.
    private static unsafe int Fill(int fd, Span<byte> buffer, int length, long? offset, string pathForErrors)
    {
        while (length < buffer.Length)
        {
            nint n;
            fixed (byte* p = buffer[length..])
            {
                n = offset is long at
                    ? Libc.Pread(fd, p, (nuint)(buffer.Length - length), at + length)
                    : Libc.Read(fd, p, (nuint)(buffer.Length - length));
            }
            if (n < 0)
            {
                if (Stdlib.GetLastError() == Errno.EINTR)
                    continue;
                PosixError.Throw(offset is null ? "read" : "pread", pathForErrors);
            }
            if (n == 0)
                break;
            length += (int)n;
        }
        return length;
    }

    /// <summary>Maps the whole file read-only; the mapping lives outside the GC heap.</summary>
    public static unsafe MappedFile Map(FileDescriptor fd, long size, string pathForErrors)
    {
        if (size == 0)
            return new MappedFile(IntPtr.Zero, 0);
        if (size > int.MaxValue)
            throw new PosixIOException(Errno.EFBIG, $"mmap {pathForErrors}: file too large ({size} bytes)");
        // MAP_POPULATE: the file is read whole anyway; one call maps every page instead of a fault per run of pages.
        nint address = Libc.Mmap(0, (nuint)size, Libc.ProtectRead, Libc.MapPrivate | Libc.MapPopulate, fd.Number, 0);
        if (address == -1)
            PosixError.Throw("mmap", pathForErrors);
        return new MappedFile(address, (int)size);
    }

    /// <summary>
    /// Reads an inherited pipe to end-of-file, at most <paramref name="limit"/> + 1 bytes so that
    /// over-long input shows. Null when the descriptor is not an inherited pipe or socket: the
    /// runtime itself opens files (e.g. /dev/urandom) on the lowest free numbers, so an fd 3 that
    /// is a plain file or device was not handed over by Dovecot.
    /// </summary>
    public static byte[]? ReadInherited(int fd, int limit)
    {
        if (Libc.FileStatus(fd, out FileStatus status) != 0)
            return null;
        uint type = status.Mode & FileStatus.TypeMask;
        if (type != FileStatus.Fifo && type != FileStatus.Socket)
            return null;
        byte[] buffer = new byte[limit + 1];
        return buffer[..Fill(fd, buffer, 0, null, $"fd {fd}")];
    }

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
                if (Stdlib.GetLastError() == Errno.EINTR)
                    continue;
                PosixError.Throw("write", pathForErrors);
            }
            data = data[(int)n..];
        }
    }

    public static void Sync(FileDescriptor fd, string pathForErrors)
    {
        if (Syscall.fsync(fd.Number) != 0)
            PosixError.Throw("fsync", pathForErrors);
    }

    public static void Rename(string from, string to)
    {
        if (Syscall.rename(from, to) != 0)
            PosixError.Throw("rename", $"{from} -> {to}");
    }

    public static void UnlinkIfExists(string path)
    {
        if (Syscall.unlink(path) != 0 && Stdlib.GetLastError() != Errno.ENOENT)
            PosixError.Throw("unlink", path);
    }

    public static void ChangeMode(FileDescriptor fd, uint mode, string pathForErrors)
    {
        if (Syscall.fchmod(fd.Number, (FilePermissions)mode) != 0)
            PosixError.Throw("fchmod", pathForErrors);
    }

    public static void ChangeOwner(FileDescriptor fd, uint uid, uint gid, string pathForErrors)
    {
        if (Syscall.fchown(fd.Number, uid, gid) != 0)
            PosixError.Throw("fchown", pathForErrors);
    }

    /// <summary>
    /// Blocks until this open file holds the exclusive flock(2) lock. flock rather than fcntl record
    /// locks: it belongs to the open file, so two writers in one process exclude each other too.
    /// Mono.Posix has no flock, hence the one direct import in <see cref="Libc"/>.
    /// </summary>
    public static void LockExclusive(FileDescriptor fd, string pathForErrors)
    {
        while (Libc.Flock(fd.Number, Libc.LockExclusive) != 0)
        {
            if (Stdlib.GetLastError() != Errno.EINTR)
                PosixError.Throw("flock", pathForErrors);
        }
    }

    /// <summary>Takes the exclusive lock if it is free; false if another open file holds it.</summary>
    public static bool TryLockExclusive(FileDescriptor fd, string pathForErrors)
    {
        while (Libc.Flock(fd.Number, Libc.LockExclusive | Libc.LockNonBlocking) != 0)
        {
            Errno errno = Stdlib.GetLastError();
            if (errno == Errno.EWOULDBLOCK)
                return false;
            if (errno != Errno.EINTR)
                throw PosixError.Create(errno, "flock", pathForErrors);
        }
        return true;
    }

    /// <summary>Opens a file for appending, creating it (mode <paramref name="mode"/>) if needed; never follows a symlink.</summary>
    public static FileDescriptor OpenAppend(string path, uint mode)
    {
        int fd = Syscall.open(path, OpenFlags.O_WRONLY | OpenFlags.O_APPEND | OpenFlags.O_CREAT | OpenFlags.O_NOFOLLOW | OpenFlags.O_CLOEXEC, (FilePermissions)mode);
        if (fd < 0)
            PosixError.Throw("open for append", path);
        return new FileDescriptor(fd);
    }

    /// <summary>Creates a directory if it does not exist yet; refuses a symlink in its place.</summary>
    public static void EnsureDirectory(string path, uint mode)
    {
        if (Syscall.mkdir(path, (FilePermissions)mode) != 0 && Stdlib.GetLastError() != Errno.EEXIST)
            PosixError.Throw("mkdir", path);
        using FileDescriptor fd = OpenDirectory(path);
    }

    /// <summary>Sends SIGKILL to this very process: the test-only crash point. Does not return.</summary>
    public static void KillSelf()
    {
        _ = Syscall.kill(Syscall.getpid(), Signum.SIGKILL);
        Thread.Sleep(Timeout.Infinite);
    }

    public static uint EffectiveUid => Libc.Geteuid();

    /// <summary>
    /// Waits until <paramref name="listener"/> has a connection waiting: true; false once
    /// <paramref name="hangup"/> (a pipe whose other end the parent holds) is closed or readable.
    /// </summary>
    public static bool WaitForConnection(int listener, int hangup)
    {
        int ready = Libc.WaitEither(listener, hangup);
        if (ready < 0)
            PosixError.Throw("poll", $"fd {listener} and fd {hangup}");
        return ready == listener;
    }

    /// <summary>Accepts one connection on an inherited listening socket; -1 when another process took it first. (Login path: libc directly.)</summary>
    public static unsafe int TryAccept(int listener, string what)
    {
        int fd;
        do
            fd = Libc.Accept4(listener, null, null, Libc.CloseOnExec);
        while (fd < 0 && Marshal.GetLastPInvokeError() == 4);
        if (fd < 0 && Marshal.GetLastPInvokeError() is 11 or 103)
            return -1; // EAGAIN (listener is non-blocking), ECONNABORTED
        if (fd < 0)
            PosixError.Throw("accept", what);
        return fd;
    }

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
                PosixError.Throw("setgroups", $"gid {gid}");
        }
        if (Libc.Setresgid(gid, gid, gid) != 0)
            PosixError.Throw("setresgid", $"gid {gid}");
        if (Libc.Setresuid(uid, uid, uid) != 0)
            PosixError.Throw("setresuid", $"uid {uid}");
        if (uid != 0 && Libc.Setresuid(0, 0, 0) == 0)
            throw new IOException($"uid {uid}: root could be regained after dropping privileges");
    }

    /// <summary>Closes an inherited descriptor that may not be open.</summary>
    public static void CloseQuietly(int fd) => _ = Libc.Close(fd);

    /// <summary>
    /// Reads from a socket until <paramref name="complete"/> says the bytes so far are a whole message,
    /// keeping the first descriptor passed along (SCM_RIGHTS); at most <paramref name="limit"/> bytes,
    /// each read waiting at most <paramref name="timeout"/>.
    /// </summary>
    public static (byte[] Data, int Descriptor) ReceiveMessage(int socket, int limit, TimeSpan timeout, Func<ReadOnlySpan<byte>, bool> complete, string what)
    {
        byte[] buffer = new byte[limit];
        int length = 0;
        int descriptor = -1;
        while (length == 0 || !complete(buffer.AsSpan(0, length)))
        {
            if (length == limit)
                throw new IOException($"{what}: more than {limit} bytes");
            int ready = Libc.WaitReadable(socket, (int)timeout.TotalMilliseconds);
            if (ready == 0)
                throw new IOException($"{what}: nothing received for {timeout.TotalSeconds} s");
            if (ready < 0)
                PosixError.Throw("poll", what);
            nint got = Libc.ReceiveWithDescriptor(socket, buffer.AsSpan(length), out int passed);
            if (got < 0)
                PosixError.Throw("recvmsg", what);
            if (passed >= 0)
            {
                if (descriptor >= 0)
                    _ = Libc.Close(passed);
                else
                    descriptor = passed;
            }
            if (got == 0)
                throw new IOException($"{what}: connection closed after {length} bytes");
            length += (int)got;
        }
        return (buffer[..length], descriptor);
    }

    /// <summary>Whether <paramref name="fd"/> is open and a pipe. (Login path: libc directly.)</summary>
    public static bool IsPipe(int fd) => Libc.FileStatus(fd, out FileStatus status) == 0 && status.IsFifo;

    /// <summary>Whether <paramref name="fd"/> is open and a socket. (Login path: libc directly.)</summary>
    public static bool IsSocket(int fd) => Libc.FileStatus(fd, out FileStatus status) == 0 && status.IsSocket;

    /// <summary>Sends <paramref name="data"/> and a copy of <paramref name="descriptor"/> over a Unix socket in one message. (Login path: libc directly.)</summary>
    public static void SendWithDescriptor(int socket, ReadOnlySpan<byte> data, int descriptor, string what)
    {
        nint sent = Libc.SendWithDescriptor(socket, data, descriptor);
        if (sent < 0)
            PosixError.Throw("sendmsg", what);
        if (sent != data.Length)
            throw new IOException($"sendmsg {what}: sent {sent} of {data.Length} bytes");
    }

    /// <summary>Replaces this process with an explicit argv and environment. Returns only by throwing. (Login path: libc directly.)</summary>
    public static unsafe void Execute(string path, string[] argv, string[] environment)
    {
        // One unmanaged block: the strings, then the two NULL-terminated pointer arrays execve takes.
        // Nothing is freed: on success the process image is gone, on failure the caller exits.
        byte* pathBytes = Utf8(path);
        byte** args = PointerArray(argv);
        byte** env = PointerArray(environment);
        _ = Libc.Execve(pathBytes, args, env);
        PosixError.Throw("execve", path);
    }

    private static unsafe byte** PointerArray(string[] values)
    {
        var array = (byte**)NativeMemory.Alloc((nuint)(values.Length + 1), (nuint)sizeof(byte*));
        for (int i = 0; i < values.Length; i++)
            array[i] = Utf8(values[i]);
        array[values.Length] = null;
        return array;
    }

    private static unsafe byte* Utf8(string value)
    {
        int length = System.Text.Encoding.UTF8.GetByteCount(value);
        var bytes = (byte*)NativeMemory.Alloc((nuint)length + 1);
        System.Text.Encoding.UTF8.GetBytes(value, new Span<byte>(bytes, length));
        bytes[length] = 0;
        return bytes;
    }

    internal static FileStatus ToStatus(in Stat st) => new(
        st.st_dev, st.st_ino, (uint)st.st_mode, st.st_uid, st.st_gid, st.st_size, st.st_mtime, st.st_mtime_nsec,
        st.st_ctime, st.st_ctime_nsec);
}
