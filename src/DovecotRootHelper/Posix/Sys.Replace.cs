namespace DovecotRootHelper.Posix;

public static partial class Sys
{
    /// <summary>
    /// Replaces a file's contents atomically: a temporary file beside it (with <paramref name="mode"/>
    /// and <paramref name="owner"/>, or when not given and the file exists, its owner), fsync, rename
    /// over the old one, fsync of the directory.
    /// A reader sees the whole old file or the whole new one, and a crash leaves one of the two.
    /// Returns the status of the file written, taken after the rename (which changes its ctime) from
    /// the descriptor it was written through, so it describes this file even if another replaces it.
    /// </summary>
    public static FileStatus ReplaceFile(string path, ReadOnlySpan<byte> contents, uint mode, (uint Uid, uint Gid)? owner = null, long? modifiedSeconds = null)
    {
        string temporary = $"{path}.new.{Environment.ProcessId}";
        UnlinkIfExists(temporary);
        owner ??= LinkStatusOrNull(path) is { } previous ? (previous.Uid, previous.Gid) : null;
        FileStatus written;
        using (FileDescriptor fd = CreateNew(temporary, mode))
        {
            try
            {
                // The umask applies at creation; the mode must be exactly this one.
                ChangeMode(fd, mode, temporary);
                if (owner is { } o && o.Uid != EffectiveUid)
                    ChangeOwner(fd, o.Uid, o.Gid, temporary);
                WriteAll(fd.Number, contents, temporary);
                if (modifiedSeconds is long seconds)
                    SetModificationTime(fd, seconds, temporary);
                Sync(fd, temporary);
            }
            catch
            {
                UnlinkIfExists(temporary);
                throw;
            }
            Rename(temporary, path);
            written = Status(fd, path);
        }
        SyncDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) ?? "/");
        return written;
    }

    /// <summary>fsync of a directory, so that renames and removals in it survive a crash.</summary>
    public static void SyncDirectory(string directory)
    {
        using FileDescriptor dir = OpenDirectory(directory);
        Sync(dir, directory);
    }
}
