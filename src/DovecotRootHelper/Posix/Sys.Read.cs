using Mono.Unix.Native;

namespace DovecotRootHelper.Posix;

public static partial class Sys
{
    /// <summary>fstat of an open file. (Login path: libc directly.)</summary>
    public static FileStatus Status(FileDescriptor fd, string pathForErrors)
    {
        if (Libc.FileStatus(fd.Number, out FileStatus status) != 0)
            PosixError.Throw(PosixError.Last(), "fstat", pathForErrors);
        return status;
    }

    /// <summary>lstat: describes a symbolic link itself, never its target.</summary>
    public static FileStatus? LinkStatusOrNull(string path)
    {
        if (Syscall.lstat(path, out Stat st) == 0)
            return ToStatus(st);
        Errno errno = PosixError.Last();
        if (errno is Errno.ENOENT or Errno.ENOTDIR)
            return null;
        throw PosixError.Create(errno, "lstat", path);
    }

    /// <summary>Reads the whole file from its current offset; the buffer may be longer than the data.</summary>
    public static ReadOnlyMemory<byte> ReadToEnd(FileDescriptor fd, long sizeHint, string pathForErrors)
    {
        // One spare byte lets a single read see end-of-file when the size hint was right.
        byte[] buffer = Populated(GC.AllocateUninitializedArray<byte>((int)Math.Min(Math.Max(sizeHint + 1, 256), Array.MaxLength)));
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
                Errno errno = PosixError.Last();
                if (errno == Errno.EINTR)
                    continue;
                PosixError.Throw(errno, offset is null ? "read" : "pread", pathForErrors);
            }
            if (n == 0)
                break;
            length += (int)n;
        }
        return length;
    }

    /// <summary>
    /// Reads an inherited pipe to end-of-file, at most <paramref name="limit"/> + 1 bytes so that
    /// over-long input shows. Null when the descriptor is not an inherited pipe or socket: the
    /// runtime itself opens files (e.g. /dev/urandom) on the lowest free numbers, so an fd 3 that
    /// is a plain file or device was not handed over by Dovecot.
    /// </summary>
    public static byte[]? ReadInherited(int fd, int limit)
    {
        if (Libc.FileStatus(fd, out FileStatus status) != 0 || !(status.IsFifo || status.IsSocket))
            return null;
        byte[] buffer = new byte[limit + 1];
        return buffer[..Fill(fd, buffer, 0, null, $"fd {fd}")];
    }
}
