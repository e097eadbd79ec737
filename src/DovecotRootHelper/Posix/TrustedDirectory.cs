using Mono.Unix.Native;

namespace DovecotRootHelper.Posix;

/// <summary>
/// <see cref="TrustedFile"/>'s rule for a directory whose files decide what root renames (the
/// migration journals): a directory, not a symbolic link to one, owned by root or the running user,
/// and writable by nobody else, sticky or not: whoever may create a name in it may plant a file
/// there, which the file's own check would catch, or remove and rename root's, which it would not.
/// </summary>
public static class TrustedDirectory
{
    /// <summary>Creates the directory (not its parents) with <paramref name="mode"/> when missing, then checks it.</summary>
    /// <exception cref="UntrustedFileException">It cannot be created or opened, or breaks the rule.</exception>
    public static void Ensure(string path, uint mode)
    {
        try
        {
            Sys.CreateDirectoryIfMissing(path, mode);
        }
        catch (Exception e) when (PosixError.ErrnoOf(e) is Errno errno)
        {
            throw new UntrustedFileException(path, $"cannot create: {PosixError.Describe(errno)}");
        }
        _ = CheckIfExists(path);
    }

    /// <summary>False when nothing of that name exists; true when the directory passes the rule.</summary>
    /// <exception cref="UntrustedFileException">It cannot be opened, or breaks the rule.</exception>
    public static bool CheckIfExists(string path)
    {
        FileStatus? link = Sys.LinkStatusOrNull(path);
        if (link is null)
            return false;
        // Said before opening for a clearer message; O_NOFOLLOW below still refuses one swapped in since.
        if (link.Value.IsSymbolicLink)
            throw new UntrustedFileException(path, "refused: a symbolic link");
        if (!link.Value.IsDirectory)
            throw new UntrustedFileException(path, "refused: " + Problem(link.Value, Sys.EffectiveUid));
        FileStatus status;
        try
        {
            using FileDescriptor fd = Sys.OpenDirectory(path);
            status = Sys.Status(fd, path);
        }
        catch (Exception e) when (PosixError.ErrnoOf(e) is Errno errno)
        {
            throw new UntrustedFileException(path, $"cannot open: {PosixError.Describe(errno)}");
        }
        if (Problem(status, Sys.EffectiveUid) is string problem)
            throw new UntrustedFileException(path, "refused: " + problem);
        return true;
    }

    /// <summary>Why a directory with this status must not be trusted by <paramref name="readerUid"/>, or null.</summary>
    public static string? Problem(FileStatus status, uint readerUid) =>
        status.IsDirectory ? TrustedFile.OwnerOrModeProblem(status, readerUid) : $"not a directory ({TrustedFile.TypeName(status)})";
}
