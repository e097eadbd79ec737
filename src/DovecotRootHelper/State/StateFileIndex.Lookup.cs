using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using DovecotRootHelper.Locations;
using DovecotRootHelper.Posix;

namespace DovecotRootHelper.State;

public static partial class StateFileIndex
{
    // Slots read per pread while probing: at most two thirds full, a probe rarely needs more.
    private const int SlotsPerRead = 16;
    private const int FirstLineRead = 256;

    // A longer line is left to the whole-file scan, which reads the file through a buffer of fixed size.
    private const int LongestLineRead = 64 * 1024;

    /// <summary>
    /// The login hook's lookup through the index. True when the index answered: <paramref name="entry"/>
    /// is the user's line, read from <paramref name="state"/> and parsed, or null when the index lists
    /// no such user. False when the index cannot be used: missing, untrusted, for another file or an
    /// older version of this one, malformed, or pointing anywhere but at a line naming the user. The
    /// caller then scans the whole file, which gives the same answers and reports the errors.
    /// </summary>
    public static bool TryFind(string statePath, FileDescriptor state, FileStatus stateFile, string user, bool countLines, TargetLocations? targets, out StateEntry? entry)
    {
        entry = null;
        string indexPath = PathFor(statePath);
        try
        {
            using FileDescriptor? index = OpenTrusted(indexPath, stateFile, out FileStatus status, out string? refusal);
            if (index is null || refusal is not null)
                return false;
            return TryFind(index, status, indexPath, statePath, state, stateFile, user, countLines, targets, out entry);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or StateFileException)
        {
            entry = null;
            return false;
        }
    }

    private static bool TryFind(
        FileDescriptor index, FileStatus status, string indexPath, string statePath, FileDescriptor state, FileStatus stateFile, string user, bool countLines, TargetLocations? targets, out StateEntry? entry)
    {
        entry = null;
        if (status.Size < HeaderSize)
            return false;
        Span<byte> header = stackalloc byte[HeaderSize];
        if (Sys.ReadAt(index, header, 0, indexPath) != HeaderSize || !header.StartsWith(Magic) || !Describes(header, stateFile))
            return false;
        uint slotCount = BinaryPrimitives.ReadUInt32LittleEndian(header[SlotCountAt..]);
        uint userCount = BinaryPrimitives.ReadUInt32LittleEndian(header[UserCountAt..]);
        if (!BitOperations.IsPow2(slotCount) || userCount >= slotCount || HeaderSize + ((long)slotCount * SlotSize) != status.Size)
            return false;

        uint hash = Hash(Encoding.UTF8.GetBytes(user));
        Span<byte> run = stackalloc byte[SlotsPerRead * SlotSize];
        uint slot = hash & (slotCount - 1);
        uint probed = 0;
        while (probed < slotCount)
        {
            int count = (int)Math.Min(SlotsPerRead, slotCount - slot);
            Span<byte> slots = run[..(count * SlotSize)];
            if (Sys.ReadAt(index, slots, HeaderSize + ((long)slot * SlotSize), indexPath) != slots.Length)
                return false;
            for (int i = 0; i < count && probed < slotCount; i++, probed++)
            {
                ReadOnlySpan<byte> s = slots.Slice(i * SlotSize, SlotSize);
                uint line = BinaryPrimitives.ReadUInt32LittleEndian(s[8..]);
                if (line == 0)
                    return true; // an empty slot ends the probe: the file does not list the user
                if (BinaryPrimitives.ReadUInt32LittleEndian(s) != hash)
                    continue;
                long offset = BinaryPrimitives.ReadUInt32LittleEndian(s[4..]);
                byte[]? text = ReadLineAt(state, stateFile.Size, offset, statePath);
                StateEntry? candidate = text is null ? null : StateFileSyntax.ParseLine(text, countLines ? (int)Math.Min(line, int.MaxValue) : 0, statePath, targets);
                if (candidate is null)
                    return false; // not at the start of a user's line: this index is wrong
                if (candidate.User == user)
                {
                    entry = candidate;
                    return true;
                }
                // Another user whose name has the same hash: probe on. A name with another hash
                // means the slot points at the wrong line, and then nothing this index says holds.
                if (Hash(Encoding.UTF8.GetBytes(candidate.User)) != hash)
                    return false;
            }
            slot = (slot + (uint)count) & (slotCount - 1);
        }
        return false;
    }

    // The line starting at offset, or null when offset is not the start of a line or the line holds
    // a NUL byte (the whole-file scan then reports it).
    private static byte[]? ReadLineAt(FileDescriptor state, long size, long offset, string path)
    {
        if (offset >= size)
            return null;
        // One byte before the line, to see that it starts one.
        long start = offset == 0 ? 0 : offset - 1;
        int skip = (int)(offset - start);
        int want = FirstLineRead;
        while (true)
        {
            int length = (int)Math.Min(want, size - start);
            byte[] buffer = new byte[length];
            if (Sys.ReadAt(state, buffer, start, path) != length)
                return null;
            if (skip == 1 && buffer[0] != (byte)'\n')
                return null;
            int end = buffer.AsSpan(skip).IndexOf((byte)'\n');
            if (end >= 0 || start + length == size)
            {
                byte[] line = buffer[skip..(end >= 0 ? skip + end : length)];
                return line.AsSpan().Contains((byte)0) ? null : line;
            }
            if (want >= LongestLineRead)
                return null;
            want *= 4;
        }
    }
}
