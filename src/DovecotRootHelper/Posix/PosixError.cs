using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using Mono.Unix.Native;

namespace DovecotRootHelper.Posix;

/// <summary>
/// The one way to read errno, and the one place that turns it into an exception naming the path.
/// errno is read by <see cref="Last"/> right after the call that failed (every import sets
/// SetLastError, Mono.Posix's too) and passed along as a value: any call in between, even the first
/// use of Mono.Posix, which runs its own initialiser, can overwrite it.
/// </summary>
public static class PosixError
{
    private const string ErrnoKey = "DovecotRootHelper.Posix.Errno";

    /// <summary>errno as the last P/Invoke left it. Call it next, before anything else runs.</summary>
    public static Errno Last() => (Errno)Marshal.GetLastPInvokeError();

    [DoesNotReturn]
    public static void Throw(Errno errno, string operation, string path) => throw Create(errno, operation, path);

    public static Exception Create(Errno errno, string operation, string path)
    {
        string message = $"{operation} {path}: {Describe(errno)}";
        Exception e = errno switch
        {
            Errno.ENOENT or Errno.ENOTDIR => new FileNotFoundException(message, path),
            Errno.EACCES or Errno.EPERM => new UnauthorizedAccessException(message),
            _ => new PosixIOException(errno, message),
        };
        e.Data[ErrnoKey] = errno;
        return e;
    }

    /// <summary>
    /// The errno an exception of <see cref="Create"/> carries (the runtime's FileNotFoundException
    /// and UnauthorizedAccessException have no place of their own for it); null for any other exception.
    /// </summary>
    public static Errno? ErrnoOf(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.Data[ErrnoKey] is Errno errno ? errno : null;
    }

    /// <summary>"No such file or directory (ENOENT)": strerror through the runtime, not Mono.Posix, which the login path does not load.</summary>
    public static string Describe(Errno errno) => $"{Marshal.GetPInvokeErrorMessage((int)errno)} ({errno})";
}

/// <summary>An I/O failure that carries the errno it came from.</summary>
public sealed class PosixIOException(Errno errno, string message) : IOException(message)
{
    public Errno Errno { get; } = errno;
}
