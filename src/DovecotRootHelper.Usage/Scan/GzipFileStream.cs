using System.Runtime.InteropServices;
using DovecotRootHelper.Posix;
using Microsoft.Win32.SafeHandles;

namespace DovecotRootHelper.Usage.Scan;

/// <summary>
/// A gzip-compressed log read through the system's zlib (libz.so.1) rather than .NET's GZipStream,
/// whose native part would link a private copy of zlib into imaproot: Debian wants one zlib, patched
/// with the system's. Reads every member of a multi-member file, as gzip -d does, from the start of
/// an already open file (a rotated name may point elsewhere by now). Corrupt or truncated data is an
/// <see cref="InvalidDataException"/>, as GZipStream reports it.
/// </summary>
internal sealed partial class GzipFileStream : Stream
{
    private const string Zlib = "libz.so.1";
    private const int BufferError = -5; // Z_BUF_ERROR
    private nint _gz;

    public GzipFileStream(SafeFileHandle file, string path)
    {
        // zlib reads through a descriptor of its own (gzclose closes it), at offset 0: the file's
        // offset is shared with the original, which FileStream does not read through (pread).
        using FileDescriptor copy = Sys.Duplicate(file, path);
        Sys.Rewind(copy, path);
        _gz = GzDOpen(copy.Number, "rb");
        if (_gz == 0)
            throw new IOException($"{path}: zlib could not open it (out of memory)");
        // zlib owns the descriptor now: disposing the copy must not close it.
        copy.SetHandleAsInvalid();
        // A larger buffer than zlib's default 8 KB: fewer read(2) calls over a large log.
        _ = GzBuffer(_gz, 128 * 1024);
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override unsafe int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_gz == 0, this);
        if (buffer.IsEmpty)
            return 0;
        int read;
        fixed (byte* destination = buffer)
            read = GzRead(_gz, destination, (uint)buffer.Length);
        if (read > 0)
            return read;
        // zlib returns what it has of a truncated file, then 0 with Z_BUF_ERROR: the end of a file
        // still being compressed, or cut short, is not the end of the log.
        nint message = GzError(_gz, out int error);
        if (read < 0 || error == BufferError)
            throw new InvalidDataException(message == 0 ? "zlib error" : Marshal.PtrToStringUTF8(message) ?? "zlib error");
        return 0;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (_gz != 0)
        {
            _ = GzClose(_gz);
            _gz = 0;
        }
        base.Dispose(disposing);
    }

    [LibraryImport(Zlib, EntryPoint = "gzdopen", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint GzDOpen(int fd, string mode);

    [LibraryImport(Zlib, EntryPoint = "gzbuffer")]
    private static partial int GzBuffer(nint file, uint size);

    [LibraryImport(Zlib, EntryPoint = "gzread")]
    private static unsafe partial int GzRead(nint file, byte* buffer, uint length);

    [LibraryImport(Zlib, EntryPoint = "gzerror")]
    private static partial nint GzError(nint file, out int errorNumber);

    [LibraryImport(Zlib, EntryPoint = "gzclose")]
    private static partial int GzClose(nint file);
}
