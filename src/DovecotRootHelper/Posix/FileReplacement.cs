namespace DovecotRootHelper.Posix;

/// <summary>
/// A file being replaced atomically: written into a temporary file beside it, then
/// <see cref="Commit"/> (fsync, rename over the old one, fsync of the directory). Disposed without
/// a commit, the temporary file is removed and the old file stays as it was.
/// </summary>
public sealed class FileReplacement : IDisposable
{
    private readonly FileDescriptor _fd;
    private readonly string _temporary;
    private bool _committed;

    private FileReplacement(string path, string temporary, FileDescriptor fd)
    {
        Path = path;
        _temporary = temporary;
        _fd = fd;
    }

    public string Path { get; }

    /// <summary>
    /// Starts replacing <paramref name="path"/> with a file of <paramref name="mode"/> owned by
    /// <paramref name="owner"/>; when not given, by the file's present owner if
    /// <paramref name="keepOwner"/> and it exists, else by the running user. Keeping the owner is
    /// right only in a directory nobody else can write (<see cref="TrustedDirectory"/>): elsewhere the
    /// present file may have been planted, and its owner would get the new one.
    /// </summary>
    public static FileReplacement Begin(string path, uint mode, (uint Uid, uint Gid)? owner = null, bool keepOwner = true)
    {
        string temporary = $"{path}.new.{Environment.ProcessId}";
        Sys.UnlinkIfExists(temporary);
        if (keepOwner)
            owner ??= Sys.LinkStatusOrNull(path) is { } previous ? (previous.Uid, previous.Gid) : null;
        FileDescriptor fd = Sys.CreateNew(temporary, mode);
        var replacement = new FileReplacement(path, temporary, fd);
        try
        {
            // The umask applies at creation; the mode must be exactly this one.
            Sys.ChangeMode(fd, mode, temporary);
            if (owner is { } o && o.Uid != Sys.EffectiveUid)
                Sys.ChangeOwner(fd, o.Uid, o.Gid, temporary);
        }
        catch
        {
            replacement.Dispose();
            throw;
        }
        return replacement;
    }

    public void Write(ReadOnlySpan<byte> data) => Sys.WriteAll(_fd.Number, data, _temporary);

    /// <summary>
    /// Makes the new contents the file's: a reader sees the whole old file or the whole new one, and
    /// a crash leaves one of the two. Returns the status of the file written, taken after the rename
    /// (which changes its ctime) from the descriptor it was written through, so it describes this
    /// file even if another replaces it.
    /// </summary>
    public FileStatus Commit(long? modifiedSeconds = null)
    {
        if (modifiedSeconds is long seconds)
            Sys.SetModificationTime(_fd, seconds, _temporary);
        Sys.Sync(_fd, _temporary);
        Sys.Rename(_temporary, Path);
        _committed = true;
        FileStatus written = Sys.Status(_fd, Path);
        Sys.SyncDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path)) ?? "/");
        return written;
    }

    public void Dispose()
    {
        _fd.Dispose();
        if (!_committed)
            Sys.UnlinkIfExists(_temporary);
    }
}
