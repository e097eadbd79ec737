using System.Buffers;
using System.Numerics;
using System.Text;
using System.Text.Unicode;
using DovecotRootHelper.Locations;
using DovecotRootHelper.Posix;

namespace DovecotRootHelper.State;

/// <summary>
/// The state file's grammar: one user a line, <c>USER STATE [anything]</c>, fields separated by
/// blanks, <c>#</c> comments and blank lines allowed. STATE is legacy, migrated, migrating or the
/// name of a target location of <c>[locations]</c>, which every parse is handed (null: none).
/// Works on raw bytes so the login hook can search a large file without decoding it.
/// </summary>
public static class StateFileSyntax
{
    // Control characters other than TAB, LF and CR mean the file is not the text we wrote (the config's lines too).
    internal static readonly SearchValues<byte> NotText = SearchValues.Create(
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 127]);

    internal static readonly SearchValues<byte> Blanks = SearchValues.Create(" \t\r"u8);

    /// <summary>
    /// Checks the whole file holds no control bytes: what a crash on a file system without data
    /// journaling leaves (zero-filled blocks) or what a binary file put in its place looks like.
    /// One vectorised pass; the admin tools' full parse also requires valid UTF-8.
    /// </summary>
    public static void RequireText(ReadOnlySpan<byte> content, string path)
    {
        int bad = content.IndexOfAny(NotText);
        if (bad >= 0)
            throw new StateFileException(path, LineAt(content, bad), $"not a state file: control byte 0x{content[bad]:x2}");
    }

    /// <summary>The longest line the file may hold: a user name, a state and a note fit many times over.</summary>
    public const int MaxLineLength = 64 * 1024;

    /// <summary>
    /// Finds the line for one user in a whole file held in memory (see <see cref="UserLineSearch"/>,
    /// which the login hook feeds a piece at a time). The line number is in the entry only when
    /// <paramref name="countLines"/> is set (for a log line); errors always name it.
    /// </summary>
    public static StateEntry? FindUser(ReadOnlySpan<byte> content, ReadOnlySpan<byte> user, string path, bool countLines = true, TargetLocations? targets = null)
    {
        var search = new UserLineSearch(user.ToArray(), path, countLines, targets);
        search.Scan(content, 1);
        return search.Found;
    }

    // What ParseAll keeps of a file with very many problems: enough to fix them, bounded memory.
    private const int ProblemsKept = 100;

    /// <summary>Parses every line, for the admin tools: all problems are reported (the first hundred of them), not only the first.</summary>
    public static StateFileContents ParseAll(ReadOnlyMemory<byte> bytes, string path, TargetLocations? targets = null)
    {
        ReadOnlySpan<byte> content = bytes.Span;
        var problems = new List<StateFileException>();
        try
        {
            RequireText(content, path);
            if (!Utf8.IsValid(content))
                throw new StateFileException(path, 0, "not a state file: not valid UTF-8");
        }
        catch (StateFileException e)
        {
            problems.Add(e);
            return new StateFileContents(path, bytes, [], 0, problems, targets);
        }
        int lineCount = content.Count((byte)'\n') + 1;
        StateLine[] lines = Sys.Populated(new StateLine[lineCount]);
        // Open addressing on the index's hash of each name, entries' positions + 1: a duplicate
        // is found without a string or a dictionary entry per user.
        int[] slots = Sys.Populated(new int[BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, lineCount + (lineCount / 2) + 1))]);
        int mask = slots.Length - 1;
        int count = 0;
        int unshown = 0;
        int lineNumber = 0;
        int lineStart = 0;
        while (lineStart <= content.Length)
        {
            lineNumber++;
            int length = content[lineStart..].IndexOf((byte)'\n');
            int lineEnd = length < 0 ? content.Length : lineStart + length;
            try
            {
                if (ScanLine(content, lineStart, lineEnd, lineNumber, path, targets, out _) is StateLine line)
                {
                    ReadOnlySpan<byte> user = content.Slice(line.UserStart, line.UserLength);
                    int slot = (int)(StateFileIndex.Hash(user) & (uint)mask);
                    for (; slots[slot] != 0; slot = (slot + 1) & mask)
                    {
                        StateLine other = lines[slots[slot] - 1];
                        if (content.Slice(other.UserStart, other.UserLength).SequenceEqual(user))
                            throw new StateFileException(path, lineNumber, $"user '{Encoding.UTF8.GetString(user)}' is listed again (first at line {other.Line})");
                    }
                    lines[count++] = line;
                    slots[slot] = count;
                }
            }
            catch (StateFileException e)
            {
                if (problems.Count < ProblemsKept)
                    problems.Add(e);
                else
                    unshown++;
            }
            if (length < 0)
                break;
            lineStart = lineEnd + 1;
        }
        if (unshown > 0)
            problems.Add(new StateFileException(path, 0, $"{unshown} more problem(s) not shown"));
        return new StateFileContents(path, bytes, lines, count, problems, targets);
    }

    /// <summary>Parses one line; null for a blank or comment line.</summary>
    public static StateEntry? ParseLine(ReadOnlySpan<byte> line, int lineNumber, string path, TargetLocations? targets = null)
    {
        if (ScanLine(line, 0, line.Length, lineNumber, path, targets, out Range note) is not StateLine scanned)
            return null;
        return new StateEntry(
            Encoding.UTF8.GetString(line.Slice(scanned.UserStart, scanned.UserLength)),
            scanned.StateWith(targets),
            lineNumber,
            Encoding.UTF8.GetString(line[note]));
    }

    // The grammar of one line, content[lineStart..lineEnd]: null for a blank or comment line, else
    // where its fields are (the note's place in content as note). Strings are made only for an error message.
    internal static StateLine? ScanLine(ReadOnlySpan<byte> content, int lineStart, int lineEnd, int lineNumber, string path, TargetLocations? targets, out Range note)
    {
        note = default;
        ReadOnlySpan<byte> line = content[lineStart..lineEnd];
        int lead = line.Length - line.TrimStart(" \t\r"u8).Length;
        ReadOnlySpan<byte> rest = line[lead..].TrimEnd(" \t\r"u8);
        if (rest.IsEmpty || rest[0] == (byte)'#')
            return null;
        if (line.Length > MaxLineLength)
            throw new StateFileException(path, lineNumber, $"line is longer than {MaxLineLength} bytes");
        int at = lineStart + lead;
        ReadOnlySpan<byte> user = NextField(ref rest, ref at, out int userStart);
        ReadOnlySpan<byte> state = NextField(ref rest, ref at, out _);
        if (UserName.Problem(user) is { } problem)
            throw new StateFileException(path, lineNumber, $"'{Encoding.UTF8.GetString(user)}' cannot be a user name: it {problem}");
        if (state.IsEmpty)
            throw new StateFileException(path, lineNumber, $"user '{Encoding.UTF8.GetString(user)}' has no state (expected {UserState.Expected(targets)})");
        if (!UserState.TryParse(state, targets, out UserState parsed))
            throw new StateFileException(path, lineNumber, $"unknown state '{Encoding.UTF8.GetString(state)}' for user '{Encoding.UTF8.GetString(user)}' (expected {UserState.Expected(targets)})");
        note = new Range(at, at + rest.Length);
        return new StateLine(lineStart, lineNumber, (ushort)(userStart - lineStart), (ushort)user.Length, parsed.Code(targets));
    }

    /// <summary>A user name the file can hold: the project's one rule, <see cref="UserName"/>.</summary>
    public static bool IsValidUserName(ReadOnlySpan<char> user) => UserName.IsValid(user);

    // The next field of rest, which starts at offset at: rest and at move past it and the blanks after it.
    private static ReadOnlySpan<byte> NextField(ref ReadOnlySpan<byte> rest, ref int at, out int fieldStart)
    {
        fieldStart = at;
        int end = rest.IndexOfAny(Blanks);
        ReadOnlySpan<byte> field = end < 0 ? rest : rest[..end];
        ReadOnlySpan<byte> after = end < 0 ? [] : rest[end..].TrimStart(" \t\r"u8);
        at += rest.Length - after.Length;
        rest = after;
        return field;
    }

    private static int LineAt(ReadOnlySpan<byte> content, int offset) => content[..offset].Count((byte)'\n') + 1;
}
