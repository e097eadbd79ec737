using DovecotRootHelper.Posix;

namespace DovecotRootHelper.State;

/// <summary>
/// Reads the state file without a lock: the writer replaces it by rename, so a reader always sees
/// a whole old file or a whole new one. The file decides where people's mail is, so one that
/// someone other than its owner can write, or that is owned by anyone but root or the reading
/// user, is refused.
/// </summary>
public static class StateFileReader
{
    public static ReadOnlyMemory<byte> ReadTrusted(string path) => ReadTrusted(path, out _);

    /// <summary>The whole file and the status of the very file read.</summary>
    public static ReadOnlyMemory<byte> ReadTrusted(string path, out FileStatus status)
    {
        using FileDescriptor fd = OpenTrusted(path, out status);
        return Sys.ReadToEnd(fd, status.Size, path);
    }

    public static StateFileContents ReadAll(string path) => StateFileSyntax.ParseAll(ReadTrusted(path).Span, path);

    /// <summary>
    /// The login hook's lookup. Through the index when it describes the file opened (one line read,
    /// see <see cref="StateFileIndex"/>); otherwise the whole file is mapped rather than copied and
    /// scanned, with the same answers and errors.
    /// </summary>
    public static StateEntry? FindUser(string path, string user, bool countLines = true)
    {
        using FileDescriptor fd = OpenTrusted(path, out FileStatus status);
        if (StateFileIndex.TryFind(path, fd, status, user, countLines, out StateEntry? indexed))
            return indexed;
        using MappedFile map = Sys.Map(fd, status.Size, path);
        return StateFileSyntax.FindUser(map.Span, System.Text.Encoding.UTF8.GetBytes(user), path, countLines);
    }

    private static FileDescriptor OpenTrusted(string path, out FileStatus status)
    {
        FileDescriptor fd;
        try
        {
            fd = Sys.OpenReadOnly(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StateFileException(path, 0, $"cannot open: {Reason(e)}");
        }
        try
        {
            status = Sys.Status(fd, path);
            RequireTrustworthy(status, path, Sys.EffectiveUid);
            return fd;
        }
        catch
        {
            fd.Dispose();
            throw;
        }
    }

    /// <summary>The ownership and mode rules, separate so that tests can reach each branch.</summary>
    public static void RequireTrustworthy(FileStatus status, string path, uint readerUid)
    {
        if (Untrustworthy(status, readerUid) is string problem)
            throw new StateFileException(path, 0, "refused: " + problem);
    }

    /// <summary>Why a file with this status must not be trusted (the state file, its index), or null.</summary>
    public static string? Untrustworthy(FileStatus status, uint readerUid)
    {
        if (!status.IsRegularFile)
            return "not a regular file";
        if (status.Uid != 0 && status.Uid != readerUid)
            return $"owned by uid {status.Uid}, must be root or uid {readerUid}";
        if (status.IsWritableByGroupOrOthers)
            return $"mode {Convert.ToString(status.Permissions, 8)} lets others than its owner write it";
        return null;
    }

    private static string Reason(Exception e) => e.Message.Contains(": ", StringComparison.Ordinal)
        ? e.Message[(e.Message.LastIndexOf(": ", StringComparison.Ordinal) + 2)..]
        : e.Message;
}
