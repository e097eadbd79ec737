using DovecotRootHelper.Posix;
using DovecotRootHelper.Usage.Logs;
using DovecotRootHelper.Usage.Store;

namespace DovecotRootHelper.Usage.Scan;

/// <summary>
/// Reads log files, plain or gzip-compressed, from where the last scan of the same content
/// stopped, and records their events. One scan at a time: it holds an exclusive lock on
/// <c>DATABASE.lock</c> (a second scan waits). Memory stays bounded by the buffer and one
/// batch's sums (<see cref="CommitKeys"/>), whatever the size of the file.
/// </summary>
public sealed class LogScan(UsageStore store, LogLineParser parser, IScanObserver? observer = null)
{
    /// <summary>Events are committed, with the offset reached, after this many bytes of lines (and at the end); each commit is reported as progress.</summary>
    /// <remarks>
    /// A commit writes each user's sum per mailbox once, whatever the number of lines behind it, so
    /// its cost grows with the users and mailboxes seen, not with the bytes; the creates, deletes
    /// and renames it holds grow with the bytes, and a scan killed before a commit reads the
    /// stretch again: both bound it.
    /// </remarks>
    public long CommitBytes { get; init; } = 128L << 20;

    /// <summary>Events are committed, too, when the batch holds this many sums and changes: the bound on its memory (some 200 bytes each).</summary>
    public int CommitKeys { get; init; } = 1 << 17;

    private const int BufferSize = 1 << 20;
    private const long ProgressBytes = 16L << 20;

    public List<FileScanResult> Run(IEnumerable<string> paths)
    {
        string lockPath = store.Path + ".lock";
        using FileDescriptor lockFile = Sys.OpenLockFile(lockPath, 0b110_000_000);
        Sys.LockExclusive(lockFile, lockPath);
        var results = new List<FileScanResult>();
        foreach (string path in paths)
            results.Add(ScanFile(path));
        return results;
    }

    private FileScanResult ScanFile(string path)
    {
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
        }
        catch (FileNotFoundException)
        {
            return new FileScanResult(path, "missing", false, 0, 0, 0, 0, 0);
        }
        using (file)
        {
            var reference = new DateTimeOffset(File.GetLastWriteTimeUtc(file.SafeFileHandle), TimeSpan.Zero);
            Span<byte> magic = stackalloc byte[2];
            bool compressed = file.Read(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
            file.Position = 0;
            using Stream content = compressed ? new GzipFileStream(file.SafeFileHandle, path) : file;
            try
            {
                return Read(path, file, content, compressed, reference);
            }
            catch (InvalidDataException e)
            {
                throw new IOException($"{path}: not a valid gzip file ({e.Message.TrimEnd('.')})", e);
            }
        }
    }

    private FileScanResult Read(string path, FileStream file, Stream content, bool compressed, DateTimeOffset reference)
    {
        byte[] buffer = new byte[BufferSize];
        int filled = Fill(content, buffer, 0, UsageStore.HeadLength);
        if (filled == 0)
            return new FileScanResult(path, "empty", compressed, 0, 0, 0, 0, 0);
        byte[] head = buffer[..filled];
        LogFileRecord? known = store.FindFile(head);
        if (known is { Complete: true })
            return new FileScanResult(path, "already read", compressed, known.Offset, known.Offset, 0, 0, 0);
        if (known is not null && !compressed && file.Length < known.Offset)
            known = null; // Shorter than what was read: not the same file grown, another with the same start.
        var progress = new LogFileProgress(known, path, head);
        long from = progress.Offset;

        // Position the content at the recorded offset; the head already read counts.
        if (from > 0)
        {
            if (!compressed)
            {
                file.Position = from;
                filled = 0;
            }
            else
            {
                long skipped = filled;
                while (skipped < from)
                {
                    int n = content.Read(buffer, 0, (int)Math.Min(buffer.Length, from - skipped));
                    if (n == 0)
                        break;
                    skipped += n;
                }
                filled = 0;
                if (skipped < from)
                {
                    // The compressed copy ends before what the plain file had: nothing new in it.
                    progress.Complete = true;
                    store.Commit(progress, new UsageBatch());
                    return new FileScanResult(path, "already read", compressed, from, from, 0, 0, 0);
                }
            }
        }

        var batch = new UsageBatch();
        long sinceCommit = 0;
        long nextProgress = ProgressBytes;
        long lines = 0, eventCount = 0, malformed = 0;
        long lineBase = known?.Lines ?? 0;
        long? firstMalformed = null;
        long length = 0;
        using (var parsed = new ParsedLines(content, file, parser, buffer, filled, compressed, reference))
        {
            while (parsed.Next() is { } chunk)
            {
                int nextEvent = 0;
                length = chunk.Length;
                foreach (ParsedLine line in chunk.Lines)
                {
                    progress.Offset += line.Offset;
                    sinceCommit += line.Bytes;
                    if (line.Kind == ParsedLineKind.Skipped)
                        continue;
                    progress.Lines++;
                    lines++;
                    switch (line.Kind)
                    {
                        case ParsedLineKind.LongLineTail:
                        case ParsedLineKind.Malformed:
                            progress.Malformed++;
                            malformed++;
                            firstMalformed ??= lineBase + lines;
                            break;
                        case ParsedLineKind.Events:
                            for (int i = 0; i < line.EventCount; i++)
                                batch.Add(chunk.Events[nextEvent++]);
                            progress.Events += line.EventCount;
                            eventCount += line.EventCount;
                            break;
                    }
                    if (line.Kind != ParsedLineKind.LongLineTail && (sinceCommit >= CommitBytes || batch.Keys >= CommitKeys))
                    {
                        store.Commit(progress, batch);
                        sinceCommit = 0;
                        observer?.Progress(path, chunk.Position, chunk.Length);
                    }
                }
                if (observer is not null && chunk.Position >= nextProgress)
                {
                    observer.Progress(path, chunk.Position, chunk.Length);
                    nextProgress = chunk.Position + ProgressBytes;
                }
                parsed.Recycle(chunk);
            }
        }
        progress.Complete = compressed;
        store.Commit(progress, batch);
        observer?.Progress(path, length, length);
        return new FileScanResult(path, "read", compressed, from, progress.Offset, lines, eventCount, malformed, firstMalformed);
    }

    private static int Fill(Stream stream, byte[] buffer, int offset, int count)
    {
        int total = 0;
        while (total < count)
        {
            int n = stream.Read(buffer, offset + total, count - total);
            if (n == 0)
                break;
            total += n;
        }
        return total;
    }
}
