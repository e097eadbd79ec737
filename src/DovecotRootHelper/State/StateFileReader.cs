using DovecotRootHelper.Posix;

namespace DovecotRootHelper.State;

/// <summary>
/// Reads the state file without a lock: the writer replaces it by rename, so a reader always sees
/// a whole old file or a whole new one. The file decides where people's mail is, so it must pass
/// <see cref="TrustedFile"/>'s rule.
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

    public static StateFileContents ReadAll(string path) => StateFileSyntax.ParseAll(ReadTrusted(path), path);

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

    // TrustedFile's rule, its refusals in the state file's words.
    private static FileDescriptor OpenTrusted(string path, out FileStatus status)
    {
        try
        {
            return TrustedFile.Open(path, out status);
        }
        catch (UntrustedFileException e)
        {
            throw new StateFileException(path, 0, e.Problem);
        }
    }
}
