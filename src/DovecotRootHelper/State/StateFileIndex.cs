using System.Buffers.Binary;
using System.Numerics;
using DovecotRootHelper.Locations;
using DovecotRootHelper.Posix;

namespace DovecotRootHelper.State;

/// <summary>
/// The state file's index, <c>FILE.index</c>: where each user's line starts, so that a login reads
/// one line instead of the whole file. <see cref="StateFileWriter"/> writes it under the lock right
/// after replacing the state file, for contents it has just validated, and binds it to that very
/// file: device, inode, size, mtime and ctime. The state file stays the truth: the index only says
/// where to look, the hook reads and parses the line it points at, and an index that does not
/// describe the file the hook opened is ignored (the hook then scans the whole file).
/// </summary>
public static partial class StateFileIndex
{
    // Layout, little-endian: the header, then SlotCount slots of (FNV-1a hash of the user name, offset
    // of the line, line number), open addressing with linear probing; an all-zero slot is empty.
    // Header: magic, device, inode, size, mtime s, mtime ns, ctime s, ctime ns, slot count, user count.
    private const int HeaderSize = 72;
    private const int SlotSize = 12;
    private const int SlotCountAt = 64;
    private const int UserCountAt = 68;

    private static ReadOnlySpan<byte> Magic => "DRHIDX1\n"u8;

    public static string PathFor(string statePath) => statePath + ".index";

    /// <summary>
    /// Writes the index of contents just written to the state file, <paramref name="written"/> being
    /// that file's status after its rename. Best effort: without an index (or with the old one, which
    /// names the replaced file) logins scan the whole file, which is slower but gives the same answers.
    /// </summary>
    public static void Write(string statePath, StateFileContents parsed, FileStatus written)
    {
        if (written.Size != parsed.Bytes.Length)
            return;
        try
        {
            // Owned like the state file: logins trust an index only if its owner could write the state file.
            _ = Sys.ReplaceFile(PathFor(statePath), Build(parsed, written), FileModes.UserReadWriteOthersRead, (written.Uid, written.Gid));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Only speed is lost; `imaproot check` says the index is not current.
        }
    }

    /// <summary>The index of valid state file contents (every line parses, no user twice), bound to <paramref name="stateFile"/>.</summary>
    public static byte[] Build(ReadOnlyMemory<byte> contents, FileStatus stateFile, TargetLocations? targets = null)
    {
        StateFileContents parsed = StateFileSyntax.ParseAll(contents, "state", targets);
        return parsed.IsValid ? Build(parsed, stateFile) : throw parsed.Problems[0];
    }

    /// <summary>The same, from contents already parsed.</summary>
    public static byte[] Build(StateFileContents parsed, FileStatus stateFile)
    {
        // At most two thirds full, so that a probe finds an empty slot soon.
        int users = parsed.Count;
        uint slotCount = BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, users + (users / 2) + 1));
        byte[] index = Sys.Populated(new byte[HeaderSize + ((long)slotCount * SlotSize)]);
        Magic.CopyTo(index);
        WriteIdentity(index, stateFile);
        BinaryPrimitives.WriteUInt32LittleEndian(index.AsSpan(SlotCountAt), slotCount);
        BinaryPrimitives.WriteUInt32LittleEndian(index.AsSpan(UserCountAt), (uint)users);
        foreach (StateLine line in parsed.Lines)
        {
            uint hash = Hash(parsed.UserOf(line));
            uint slot = hash & (slotCount - 1);
            while (BinaryPrimitives.ReadUInt32LittleEndian(index.AsSpan(SlotAt(slot) + 8)) != 0)
                slot = (slot + 1) & (slotCount - 1);
            Span<byte> target = index.AsSpan(SlotAt(slot), SlotSize);
            BinaryPrimitives.WriteUInt32LittleEndian(target, hash);
            BinaryPrimitives.WriteUInt32LittleEndian(target[4..], (uint)line.LineStart);
            BinaryPrimitives.WriteUInt32LittleEndian(target[8..], (uint)line.Line);
        }
        return index;
    }

    /// <summary>
    /// For <c>imaproot check</c>: whether the index is exactly what the writer would write for the
    /// state file as it is now, and if not, why not.
    /// </summary>
    public static StateFileIndexStatus Inspect(string statePath)
    {
        string indexPath = PathFor(statePath);
        if (Sys.LinkStatusOrNull(indexPath) is null)
            return new(indexPath, false, false, "missing: logins scan the whole state file until imaproot next changes it");
        ReadOnlyMemory<byte> contents = StateFileReader.ReadTrusted(statePath, out FileStatus stateFile);
        using FileDescriptor? index = OpenTrusted(indexPath, stateFile, out FileStatus status, out string? refusal);
        if (index is null)
            return new(indexPath, true, false, "unreadable: logins scan the whole state file");
        if (refusal is not null)
            return new(indexPath, true, false, $"refused ({refusal}): logins scan the whole state file");
        byte[] actual = Sys.ReadToEnd(index, status.Size, indexPath).ToArray();
        if (actual.Length >= HeaderSize && actual.AsSpan().StartsWith(Magic) && !Describes(actual, stateFile))
            return new(indexPath, true, false, "stale: written for another version of the state file (changed without imaproot, or imaproot stopped before writing the index); logins scan the whole file until imaproot next changes it");
        byte[] expected;
        try
        {
            expected = Build(contents, stateFile);
        }
        catch (StateFileException)
        {
            return new(indexPath, true, false, "not used: the state file has problems");
        }
        return actual.AsSpan().SequenceEqual(expected)
            ? new(indexPath, true, true, "current")
            : new(indexPath, true, false, "malformed: it does not match the state file; logins scan the whole file until imaproot next changes it");
    }

    // The state file's rule, with the state file's owner as the only one allowed: an index can hide a
    // user (who then gets the default), so it must not be writable by anyone who cannot write the
    // state file. Null when it cannot be opened; a FIFO in its place is refused, not waited on.
    private static FileDescriptor? OpenTrusted(string indexPath, FileStatus stateFile, out FileStatus status, out string? refusal) =>
        TrustedFile.TryOpen(indexPath, stateFile.Uid, out status, out refusal);

    // FNV-1a, 32 bits: stable across processes and versions, unlike string.GetHashCode.
    internal static uint Hash(ReadOnlySpan<byte> name)
    {
        uint hash = 2166136261;
        foreach (byte b in name)
            hash = (hash ^ b) * 16777619;
        return hash;
    }

    private static int SlotAt(uint slot) => HeaderSize + (int)(slot * SlotSize);

    private static void WriteIdentity(Span<byte> header, FileStatus file)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(header[8..], file.Device);
        BinaryPrimitives.WriteUInt64LittleEndian(header[16..], file.Inode);
        BinaryPrimitives.WriteInt64LittleEndian(header[24..], file.Size);
        BinaryPrimitives.WriteInt64LittleEndian(header[32..], file.MtimeSeconds);
        BinaryPrimitives.WriteInt64LittleEndian(header[40..], file.MtimeNanoseconds);
        BinaryPrimitives.WriteInt64LittleEndian(header[48..], file.CtimeSeconds);
        BinaryPrimitives.WriteInt64LittleEndian(header[56..], file.CtimeNanoseconds);
    }

    // Whether the header names this very file, as it was when the index was written. A hand edit
    // changes the ctime at least (even one that restores size and mtime); a replacement, the inode.
    private static bool Describes(ReadOnlySpan<byte> header, FileStatus file) =>
        BinaryPrimitives.ReadUInt64LittleEndian(header[8..]) == file.Device
        && BinaryPrimitives.ReadUInt64LittleEndian(header[16..]) == file.Inode
        && BinaryPrimitives.ReadInt64LittleEndian(header[24..]) == file.Size
        && BinaryPrimitives.ReadInt64LittleEndian(header[32..]) == file.MtimeSeconds
        && BinaryPrimitives.ReadInt64LittleEndian(header[40..]) == file.MtimeNanoseconds
        && BinaryPrimitives.ReadInt64LittleEndian(header[48..]) == file.CtimeSeconds
        && BinaryPrimitives.ReadInt64LittleEndian(header[56..]) == file.CtimeNanoseconds;
}
