using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace DovecotRootHelper.State;

/// <summary>
/// The state file's grammar: one user a line, <c>USER STATE [anything]</c>, fields separated by
/// blanks, <c>#</c> comments and blank lines allowed. Works on raw bytes so the login hook can
/// search a large file without decoding it.
/// </summary>
public static class StateFileSyntax
{
    // Control characters other than TAB, LF and CR mean the file is not the text we wrote.
    private static readonly SearchValues<byte> NotText = SearchValues.Create(
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 127]);

    private static readonly SearchValues<byte> Blanks = SearchValues.Create(" \t\r"u8);

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

    /// <summary>
    /// Finds the line for one user, checking every line that names the user (so a duplicate is an error)
    /// without parsing the rest: two vectorised passes over the file (NUL bytes, the user's name). The line number, another pass,
    /// is counted only when <paramref name="countLines"/> is set (for a log line) or for an error.
    /// </summary>
    public static StateEntry? FindUser(ReadOnlySpan<byte> content, ReadOnlySpan<byte> user, string path, bool countLines = true)
    {
        // At every login only NUL bytes, at memchr speed: a crash that zero-fills a block and a
        // binary file in the wrong place both show them. The full check runs in the admin tools.
        int nul = content.IndexOf((byte)0);
        if (nul >= 0)
            throw new StateFileException(path, LineAt(content, nul), "not a state file: control byte 0x00");
        StateEntry? found = null;
        int firstStart = 0;
        int offset = 0;
        while (offset < content.Length)
        {
            int hit = content[offset..].IndexOf(user);
            if (hit < 0)
                break;
            int start = offset + hit;
            offset = start + 1;
            int lineStart = content[..start].LastIndexOf((byte)'\n') + 1;
            if (content[lineStart..start].ContainsAnyExcept(Blanks))
                continue;
            int end = start + user.Length;
            if (end < content.Length && !IsSeparator(content[end]))
                continue;
            int lineEnd = content[lineStart..].IndexOf((byte)'\n');
            ReadOnlySpan<byte> line = lineEnd < 0 ? content[lineStart..] : content.Slice(lineStart, lineEnd);
            StateEntry entry;
            try
            {
                entry = ParseLine(line, countLines ? LineAt(content, lineStart) : 0, path)
                    ?? throw new StateFileException(path, LineAt(content, lineStart), "cannot parse line");
            }
            catch (StateFileException e) when (e.Line == 0)
            {
                throw new StateFileException(path, LineAt(content, lineStart), e.Problem);
            }
            if (found is not null)
            {
                int firstLine = found.Line > 0 ? found.Line : LineAt(content, firstStart);
                throw new StateFileException(path, LineAt(content, lineStart), $"user '{entry.User}' is listed again (first at line {firstLine})");
            }
            found = entry;
            firstStart = lineStart;
        }
        return found;
    }

    /// <summary>Parses every line, for the admin tools: all problems are reported, not only the first.</summary>
    public static StateFileContents ParseAll(ReadOnlySpan<byte> content, string path)
    {
        var entries = new List<StateEntry>();
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
            return new StateFileContents(path, entries, problems);
        }
        var firstLine = new Dictionary<string, int>(StringComparer.Ordinal);
        int lineNumber = 0;
        foreach (Range range in content.Split((byte)'\n'))
        {
            lineNumber++;
            try
            {
                StateEntry? entry = ParseLine(content[range], lineNumber, path);
                if (entry is null)
                    continue;
                if (firstLine.TryGetValue(entry.User, out int first))
                    throw new StateFileException(path, lineNumber, $"user '{entry.User}' is listed again (first at line {first})");
                firstLine.Add(entry.User, lineNumber);
                entries.Add(entry);
            }
            catch (StateFileException e)
            {
                problems.Add(e);
            }
        }
        return new StateFileContents(path, entries, problems);
    }

    /// <summary>Parses one line; null for a blank or comment line.</summary>
    public static StateEntry? ParseLine(ReadOnlySpan<byte> line, int lineNumber, string path)
    {
        ReadOnlySpan<byte> rest = line.TrimStart(" \t\r"u8).TrimEnd(" \t\r"u8);
        if (rest.IsEmpty || rest[0] == (byte)'#')
            return null;
        ReadOnlySpan<byte> user = NextField(ref rest);
        ReadOnlySpan<byte> state = NextField(ref rest);
        string userName = Encoding.UTF8.GetString(user);
        if (state.IsEmpty)
            throw new StateFileException(path, lineNumber, $"user '{userName}' has no state (expected legacy, migrated or migrating)");
        if (!UserStateNames.TryParse(state, out UserState parsed))
            throw new StateFileException(path, lineNumber, $"unknown state '{Encoding.UTF8.GetString(state)}' for user '{userName}' (expected legacy, migrated or migrating)");
        return new StateEntry(userName, parsed, lineNumber, Encoding.UTF8.GetString(rest));
    }

    /// <summary>A user name the file can hold: the project's one rule, <see cref="UserName"/>.</summary>
    public static bool IsValidUserName(ReadOnlySpan<char> user) => UserName.IsValid(user);

    private static ReadOnlySpan<byte> NextField(ref ReadOnlySpan<byte> rest)
    {
        int end = rest.IndexOfAny(Blanks);
        ReadOnlySpan<byte> field = end < 0 ? rest : rest[..end];
        rest = end < 0 ? [] : rest[end..].TrimStart(" \t\r"u8);
        return field;
    }

    private static bool IsSeparator(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';

    private static int LineAt(ReadOnlySpan<byte> content, int offset) => content[..offset].Count((byte)'\n') + 1;
}
