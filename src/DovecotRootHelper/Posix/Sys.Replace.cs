namespace DovecotRootHelper.Posix;

public static partial class Sys
{
    /// <summary>
    /// Replaces a file's contents atomically (see <see cref="FileReplacement"/>): a temporary file
    /// beside it with <paramref name="mode"/> and <paramref name="owner"/> (or as
    /// <see cref="FileReplacement.Begin"/> says), fsync, rename over the old one, fsync of the
    /// directory. Returns the status of the file written.
    /// </summary>
    public static FileStatus ReplaceFile(string path, ReadOnlySpan<byte> contents, uint mode, (uint Uid, uint Gid)? owner = null, long? modifiedSeconds = null, bool keepOwner = true)
    {
        using FileReplacement replacement = FileReplacement.Begin(path, mode, owner, keepOwner);
        replacement.Write(contents);
        return replacement.Commit(modifiedSeconds);
    }

    /// <summary>fsync of a directory, so that renames and removals in it survive a crash.</summary>
    public static void SyncDirectory(string directory)
    {
        using FileDescriptor dir = OpenDirectory(directory);
        Sync(dir, directory);
    }
}
