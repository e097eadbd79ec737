namespace DovecotRootHelper.Usage.Candidates;

/// <summary>
/// What a LIST of a legacy root costs on disk, counted cheaply: the entries a full LIST would walk
/// (breadth first, symlinks neither followed nor entered, stopped at <see cref="WalkLimit"/>), and
/// the index directories Dovecot made in the root's .imap for things that are not mail (a regular
/// file that is neither empty nor starts with "From ", a directory with no index of its own; at
/// most <see cref="IndexLimit"/> looked at). Never a full walk of a huge home: its cost is bounded
/// by the two limits, whatever the size of the home.
/// </summary>
public sealed record RootFootprint(long Entries, bool EntriesCapped, long NonMailIndexes, long Indexes, bool IndexesCapped)
{
    public const int WalkLimit = 20_000;
    public const int IndexLimit = 5_000;

    public static RootFootprint Measure(string root)
    {
        (long entries, bool entriesCapped) = Walk(root);
        (long nonMail, long indexes, bool indexesCapped) = CountIndexes(root);
        return new RootFootprint(entries, entriesCapped, nonMail, indexes, indexesCapped);
    }

    private static (long Count, bool Capped) Walk(string root)
    {
        var queue = new Queue<string>();
        queue.Enqueue(root);
        long count = 0;
        while (queue.Count > 0)
        {
            string directory = queue.Dequeue();
            IEnumerable<FileSystemInfo> entries;
            try
            {
                entries = new DirectoryInfo(directory).EnumerateFileSystemInfos("*", Options);
                foreach (FileSystemInfo entry in entries)
                {
                    if (entry.Name == ".imap")
                        continue; // Dovecot's own, not walked by LIST.
                    if (++count >= WalkLimit)
                        return (count, true);
                    if (entry is DirectoryInfo && !entry.Attributes.HasFlag(FileAttributes.ReparsePoint))
                        queue.Enqueue(entry.FullName);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A directory that vanished or cannot be read: Dovecot would skip it too.
            }
        }
        return (count, false);
    }

    private static (long NonMail, long Indexes, bool Capped) CountIndexes(string root)
    {
        string index = Path.Combine(root, ".imap");
        long nonMail = 0, indexes = 0;
        try
        {
            foreach (DirectoryInfo entry in new DirectoryInfo(index).EnumerateDirectories("*", Options))
            {
                if (entry.Name.Equals("INBOX", StringComparison.OrdinalIgnoreCase))
                    continue;
                if (++indexes > IndexLimit)
                    return (nonMail, indexes - 1, true);
                if (!IsMail(Path.Combine(root, entry.Name)))
                    nonMail++;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // No .imap: Dovecot indexed nothing here.
        }
        return (nonMail, indexes, false);
    }

    private static bool IsMail(string path)
    {
        var info = new FileInfo(path);
        if (info.Attributes.HasFlag(FileAttributes.ReparsePoint))
            return false;
        if (Directory.Exists(path))
            return Directory.Exists(Path.Combine(path, ".imap")); // A folder of mailboxes has its own index.
        if (!info.Exists)
            return true; // Deleted since: nothing left to hurt.
        if (info.Length == 0)
            return true;
        try
        {
            using FileStream stream = info.OpenRead();
            Span<byte> start = stackalloc byte[5];
            return stream.ReadAtLeast(start, 5, throwOnEndOfStream: false) == 5 && start.SequenceEqual("From "u8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static readonly EnumerationOptions Options = new()
    {
        RecurseSubdirectories = false,
        IgnoreInaccessible = true,
        AttributesToSkip = 0,
        MatchType = MatchType.Simple,
    };
}
