using System.Text;
using DovecotRootHelper.Locations;
using DovecotRootHelper.Posix;

namespace DovecotRootHelper.State;

/// <summary>
/// Reads the state file without a lock: the writer replaces it by rename, so a reader always sees
/// a whole old file or a whole new one. The file decides where people's mail is, so it must pass
/// <see cref="TrustedFile"/>'s rule.
/// </summary>
public static class StateFileReader
{
    // The whole-file scan's buffer: the hook's GC heap is 8 MB, and a state file may be far larger.
    // Four times the longest line a user may have (MaxLineLength). 256 KiB populated in one madvise
    // cost what the mapping did; 1 MiB faulted in page by page cost about 260 page faults more
    // (docs/performance.md, "The whole-file scan reads").
    private const int ScanBuffer = 256 * 1024;

    public static ReadOnlyMemory<byte> ReadTrusted(string path) => ReadTrusted(path, out _);

    /// <summary>The whole file and the status of the very file read.</summary>
    public static ReadOnlyMemory<byte> ReadTrusted(string path, out FileStatus status)
    {
        using FileDescriptor fd = OpenTrusted(path, out status);
        return Sys.ReadToEnd(fd, status.Size, path);
    }

    public static StateFileContents ReadAll(string path, TargetLocations? targets = null) => StateFileSyntax.ParseAll(ReadTrusted(path), path, targets);

    /// <summary>
    /// The login hook's lookup. Through the index when it describes the file opened (one line read,
    /// see <see cref="StateFileIndex"/>); otherwise the whole file is scanned through one buffer,
    /// with the same answers and errors. A file that changes while it is scanned (truncated or
    /// written in place rather than replaced) is an error, never a guess.
    /// </summary>
    public static StateEntry? FindUser(string path, string user, bool countLines = true, TargetLocations? targets = null)
    {
        using FileDescriptor fd = OpenTrusted(path, out FileStatus status);
        if (StateFileIndex.TryFind(path, fd, status, user, countLines, targets, out StateEntry? indexed))
            return indexed;
        try
        {
            StateEntry? found = Scan(fd, status.Size, new UserLineSearch(Encoding.UTF8.GetBytes(user), path, countLines, targets), path);
            if (Changed(fd, status, path))
                throw ChangedWhileRead(path);
            return found;
        }
        catch (StateFileException) when (Changed(fd, status, path))
        {
            // What looked wrong may be the half-written file: say so rather than blame a line.
            throw ChangedWhileRead(path);
        }
    }

    // Reads size bytes with pread, whole lines at a time, and feeds them to the search. Read, not
    // mapped: a mapped file truncated under the reader kills it with SIGBUS.
    private static StateEntry? Scan(FileDescriptor fd, long size, UserLineSearch search, string path)
    {
        byte[] buffer = Sys.Populated(GC.AllocateUninitializedArray<byte>((int)Math.Clamp(size, 1, ScanBuffer)));
        long read = 0;
        int held = 0;        // bytes at the start of buffer that begin a line not yet searched
        int line = 1;        // the line buffer[0] is on
        bool inLongLine = false;
        while (true)
        {
            if (read < size)
            {
                int want = (int)Math.Min(buffer.Length - held, size - read);
                if (Sys.ReadAt(fd, buffer.AsSpan(held, want), read, path) != want)
                    throw ChangedWhileRead(path);
                read += want;
                held += want;
            }
            bool atEnd = read == size;
            ReadOnlySpan<byte> data = buffer.AsSpan(0, held);
            if (inLongLine)
            {
                // The rest of a line longer than the buffer: its first part decided it.
                int newline = data.IndexOf((byte)'\n');
                search.RequireNoNul(newline < 0 ? data : data[..newline], line);
                if (newline < 0)
                {
                    held = 0;
                    if (atEnd)
                        break;
                    continue;
                }
                inLongLine = false;
                line++;
                data = data[(newline + 1)..];
            }
            int end = atEnd ? data.Length : data.LastIndexOf((byte)'\n') + 1;
            if (end == 0 && data.Length == buffer.Length)
            {
                // A line longer than the whole buffer: its first field is in what was
                // read (or it has none a user name could be), and so is the user's name where it
                // matters; the user's own line is refused as longer than MaxLineLength.
                search.Scan(data, line);
                inLongLine = true;
                end = data.Length;
            }
            else
            {
                search.Scan(data[..end], line);
                line += data[..end].Count((byte)'\n');
            }
            data[end..].CopyTo(buffer);
            held = data.Length - end;
            if (atEnd)
                break;
        }
        return search.Found;
    }

    // Size and mtime, not ctime: imaproot's rename over the file unlinks the inode being read,
    // which changes its ctime but not a byte of it.
    private static bool Changed(FileDescriptor fd, FileStatus before, string path)
    {
        FileStatus now = Sys.Status(fd, path);
        return now.Size != before.Size || now.MtimeSeconds != before.MtimeSeconds || now.MtimeNanoseconds != before.MtimeNanoseconds;
    }

    private static StateFileException ChangedWhileRead(string path) =>
        new(path, 0, "changed while it was read (written in place, not replaced): try again; change it with imaproot, or edit a copy and rename it over the file");

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
