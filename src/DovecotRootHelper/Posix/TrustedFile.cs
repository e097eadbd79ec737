using Mono.Unix.Native;

namespace DovecotRootHelper.Posix;

/// <summary>
/// The rule for a file whose contents decide where people's mail is (the hook's config, the state
/// file, the state file's index): a regular file, reached without following a symbolic link, owned
/// by root or the reading user (or by a given owner), and writable by nobody else. Opened without
/// blocking, so that a FIFO in its place is refused instead of waited on. (Login path: libc directly.)
/// </summary>
public static class TrustedFile
{
    /// <summary>Opens and checks the file; the status is that of the very file opened.</summary>
    /// <exception cref="UntrustedFileException">It cannot be opened, or breaks the rule.</exception>
    public static FileDescriptor Open(string path, out FileStatus status)
    {
        FileDescriptor fd;
        try
        {
            fd = Sys.OpenReadOnly(path);
        }
        catch (Exception e) when (PosixError.ErrnoOf(e) is Errno errno)
        {
            throw new UntrustedFileException(path, $"cannot open: {PosixError.Describe(errno)}");
        }
        try
        {
            status = Sys.Status(fd, path);
            if (Problem(status, Sys.EffectiveUid) is string problem)
                throw new UntrustedFileException(path, "refused: " + problem);
            return fd;
        }
        catch
        {
            fd.Dispose();
            throw;
        }
    }

    /// <summary>The whole file, once it has passed the rule, and its status.</summary>
    public static ReadOnlyMemory<byte> Read(string path, long maxSize, out FileStatus status)
    {
        using FileDescriptor fd = Open(path, out status);
        if (status.Size > maxSize)
            throw new UntrustedFileException(path, $"{status.Size} bytes, more than it can be ({maxSize})");
        return Sys.ReadToEnd(fd, status.Size, path);
    }

    /// <summary>
    /// A file holding a password (<c>[migration] doveadm-password-file</c>): <see cref="Read"/>'s
    /// rule, and readable by its owner alone, as libpq asks of ~/.pgpass.
    /// </summary>
    public static ReadOnlyMemory<byte> ReadSecret(string path, long maxSize)
    {
        ReadOnlyMemory<byte> bytes = Read(path, maxSize, out FileStatus status);
        // Group or others may read, write or execute it (mode & 077).
        return (status.Permissions & 0x3F) == 0
            ? bytes
            : throw new UntrustedFileException(path, $"refused: mode {Convert.ToString(status.Permissions, 8)} lets others than its owner read it, and it holds a password: chmod 600 {path}");
    }

    /// <summary>
    /// For a file that may well be missing and is only an optimisation (the state file's index): null
    /// when it cannot be opened; otherwise the open file, its status and why it breaks the rule with
    /// <paramref name="owner"/> as the one owner allowed, or null when it passes.
    /// </summary>
    public static FileDescriptor? TryOpen(string path, uint owner, out FileStatus status, out string? problem)
    {
        FileDescriptor? fd = Sys.TryOpenReadOnly(path);
        status = default;
        problem = null;
        if (fd is null)
            return null;
        try
        {
            status = Sys.Status(fd, path);
        }
        catch
        {
            fd.Dispose();
            throw;
        }
        problem = Problem(status, Sys.EffectiveUid, owner);
        return fd;
    }

    /// <summary>Why a file with this status must not be trusted by <paramref name="readerUid"/>, or null.</summary>
    public static string? Problem(FileStatus status, uint readerUid, uint? owner = null) =>
        status.IsRegularFile ? OwnerOrModeProblem(status, readerUid, owner) : $"not a regular file ({TypeName(status)})";

    /// <summary>The rule's owner and mode half, which <see cref="TrustedDirectory"/> shares.</summary>
    internal static string? OwnerOrModeProblem(FileStatus status, uint readerUid, uint? owner = null)
    {
        if (status.Uid != 0 && status.Uid != readerUid)
            return $"owned by uid {status.Uid}, must be root or uid {readerUid}";
        if (owner is uint required && status.Uid != required)
            return $"owned by uid {status.Uid}, must be uid {required}";
        if (status.IsWritableByGroupOrOthers)
            return $"mode {Convert.ToString(status.Permissions, 8)} lets others than its owner write it";
        return null;
    }

    internal static string TypeName(FileStatus status) => status switch
    {
        { IsRegularFile: true } => "a regular file",
        { IsDirectory: true } => "a directory",
        { IsFifo: true } => "a FIFO",
        { IsSocket: true } => "a socket",
        { IsSymbolicLink: true } => "a symbolic link",
        _ => $"type {Convert.ToString(status.Mode & FileStatus.TypeMask, 8)}",
    };
}

/// <summary>A file that <see cref="TrustedFile"/> could not open or refused; <see cref="Problem"/> says which and why, without the path.</summary>
public sealed class UntrustedFileException(string path, string problem) : IOException($"{path}: {problem}")
{
    public string Path { get; } = path;

    public string Problem { get; } = problem;
}
