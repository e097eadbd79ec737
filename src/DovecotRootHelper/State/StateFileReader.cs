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
    public static ReadOnlyMemory<byte> ReadTrusted(string path)
    {
        using FileDescriptor fd = OpenTrusted(path, out FileStatus status);
        return Posix.Posix.ReadToEnd(fd, status.Size, path);
    }

    public static StateFileContents ReadAll(string path) => StateFileSyntax.ParseAll(ReadTrusted(path).Span, path);

    /// <summary>The login hook's lookup: maps the file rather than copying it, so cost and memory stay flat as it grows.</summary>
    public static StateEntry? FindUser(string path, string user, bool countLines = true)
    {
        using FileDescriptor fd = OpenTrusted(path, out FileStatus status);
        using MappedFile map = Posix.Posix.Map(fd, status.Size, path);
        return StateFileSyntax.FindUser(map.Span, System.Text.Encoding.UTF8.GetBytes(user), path, countLines);
    }

    private static FileDescriptor OpenTrusted(string path, out FileStatus status)
    {
        FileDescriptor fd;
        try
        {
            fd = Posix.Posix.OpenReadOnly(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StateFileException(path, 0, $"cannot open: {Reason(e)}");
        }
        try
        {
            status = Posix.Posix.Status(fd, path);
            RequireTrustworthy(status, path, Posix.Posix.EffectiveUid);
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
        if (!status.IsRegularFile)
            throw new StateFileException(path, 0, "refused: not a regular file");
        if (status.Uid != 0 && status.Uid != readerUid)
            throw new StateFileException(path, 0, $"refused: owned by uid {status.Uid}, must be root or uid {readerUid}");
        if (status.IsWritableByGroupOrOthers)
            throw new StateFileException(path, 0, $"refused: mode {Convert.ToString(status.Permissions, 8)} lets others than its owner write it");
    }

    private static string Reason(Exception e) => e.Message.Contains(": ", StringComparison.Ordinal)
        ? e.Message[(e.Message.LastIndexOf(": ", StringComparison.Ordinal) + 2)..]
        : e.Message;
}
