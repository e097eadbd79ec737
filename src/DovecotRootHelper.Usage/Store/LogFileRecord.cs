namespace DovecotRootHelper.Usage.Store;

/// <summary>
/// A log file the store has read, known by its first bytes (up to <see cref="UsageStore.HeadLength"/>,
/// decompressed) rather than its path or inode: logrotate renames it, gzip makes a new file of
/// the same content, and both must resume where the last scan stopped.
/// </summary>
/// <param name="Offset">Bytes of (decompressed) content read, always at the end of a line.</param>
/// <param name="Lines">Lines read, up to <paramref name="Offset"/>.</param>
/// <param name="Complete">A compressed file read to its end: it can no longer grow.</param>
public sealed record LogFileRecord(long Id, string Path, byte[] Head, long Offset, long Lines, bool Complete);

/// <summary>Where a scan of one file stands, committed with the events it read.</summary>
public sealed class LogFileProgress(LogFileRecord? known, string path, byte[] head)
{
    public long Id { get; set; } = known?.Id ?? 0;

    public string Path { get; } = path;

    public byte[] Head { get; } = head;

    /// <summary>The offset the store holds; a commit that finds another one there is refused.</summary>
    public long CommittedOffset { get; set; } = known?.Offset ?? 0;

    public long Offset { get; set; } = known?.Offset ?? 0;

    public long Lines { get; set; }

    public long Events { get; set; }

    public long Malformed { get; set; }

    public bool Complete { get; set; }
}
