using System.Diagnostics.CodeAnalysis;
using Mono.Unix.Native;

namespace DovecotRootHelper.Posix;

/// <summary>Turns the errno of the call that just failed into an exception naming the path.</summary>
public static class PosixError
{
    /// <summary>Reads errno now; call it right after the failing call.</summary>
    [DoesNotReturn]
    public static void Throw(string operation, string path) => throw Create(Stdlib.GetLastError(), operation, path);

    public static Exception Create(Errno errno, string operation, string path)
    {
        string message = $"{operation} {path}: {Describe(errno)}";
        return errno switch
        {
            Errno.ENOENT or Errno.ENOTDIR => new FileNotFoundException(message, path),
            Errno.EACCES or Errno.EPERM => new UnauthorizedAccessException(message),
            _ => new PosixIOException(errno, message),
        };
    }

    public static string Describe(Errno errno) => $"{Syscall.strerror(errno)} ({errno})";
}

/// <summary>An I/O failure that carries the errno it came from.</summary>
public sealed class PosixIOException(Errno errno, string message) : IOException(message)
{
    public Errno Errno { get; } = errno;
}
