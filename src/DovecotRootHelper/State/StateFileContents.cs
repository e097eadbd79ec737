using System.Text;
using DovecotRootHelper.Locations;
using DovecotRootHelper.Posix;

namespace DovecotRootHelper.State;

/// <summary>
/// A fully parsed state file: its bytes, its users' lines in file order and every problem found.
/// <see cref="Entries"/> are made on first use; the writer and the userdb work from the bytes.
/// </summary>
public sealed class StateFileContents
{
    private readonly StateLine[] _lines;
    private readonly int _count;
    private IReadOnlyList<StateEntry>? _entries;

    internal StateFileContents(string path, ReadOnlyMemory<byte> bytes, StateLine[] lines, int count, IReadOnlyList<StateFileException> problems, TargetLocations? targets)
    {
        Targets = targets;
        Path = path;
        Bytes = bytes;
        _lines = lines;
        _count = count;
        Problems = problems;
    }

    public string Path { get; }

    /// <summary>The target locations the file was parsed with (null: none).</summary>
    public TargetLocations? Targets { get; }

    /// <summary>The file's bytes, as parsed.</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    public IReadOnlyList<StateFileException> Problems { get; }

    public bool IsValid => Problems.Count == 0;

    /// <summary>How many users the file lists.</summary>
    public int Count => _count;

    /// <summary>The users' entries in file order.</summary>
    public IReadOnlyList<StateEntry> Entries => _entries ??= MakeEntries();

    internal ReadOnlySpan<StateLine> Lines => _lines.AsSpan(0, _count);

    internal ReadOnlySpan<byte> UserOf(in StateLine line) => Bytes.Span.Slice(line.UserStart, line.UserLength);

    public StateEntry? Find(string user)
    {
        int at = IndexOf(Encoding.UTF8.GetBytes(user));
        return at < 0 ? null : EntryAt(at);
    }

    internal int IndexOf(ReadOnlySpan<byte> user)
    {
        ReadOnlySpan<byte> bytes = Bytes.Span;
        for (int i = 0; i < _count; i++)
        {
            if (bytes.Slice(_lines[i].UserStart, _lines[i].UserLength).SequenceEqual(user))
                return i;
        }
        return -1;
    }

    /// <summary>
    /// These contents with user <paramref name="at"/>'s line replaced (or, at <see cref="Count"/>, a
    /// line appended), <paramref name="bytes"/> being the file after that change and
    /// <paramref name="line"/> the new line's place in them. Only the lines after it move.
    /// </summary>
    internal StateFileContents With(ReadOnlyMemory<byte> bytes, int at, StateLine line)
    {
        int count = at == _count ? _count + 1 : _count;
        StateLine[] lines = Sys.Populated(new StateLine[count]);
        Lines[..at].CopyTo(lines);
        lines[at] = line;
        if (at < _count)
        {
            int delta = bytes.Length - Bytes.Length;
            for (int i = at + 1; i < count; i++)
                lines[i] = _lines[i].Shifted(delta);
        }
        return new StateFileContents(Path, bytes, lines, count, Problems, Targets);
    }

    internal StateEntry EntryAt(int i)
    {
        ReadOnlySpan<byte> bytes = Bytes.Span;
        StateLine line = _lines[i];
        int length = bytes[line.LineStart..].IndexOf((byte)'\n');
        _ = StateFileSyntax.ScanLine(bytes, line.LineStart, length < 0 ? bytes.Length : line.LineStart + length, line.Line, Path, Targets, out Range note);
        return new StateEntry(
            Encoding.UTF8.GetString(bytes.Slice(line.UserStart, line.UserLength)),
            line.StateWith(Targets),
            line.Line,
            Encoding.UTF8.GetString(bytes[note]));
    }

    private StateEntry[] MakeEntries()
    {
        var entries = new StateEntry[_count];
        for (int i = 0; i < _count; i++)
            entries[i] = EntryAt(i);
        return entries;
    }
}
