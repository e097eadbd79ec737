using System.Text;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Tests;

/// <summary>
/// The hook's whole-file scan reads the file through a 256 KiB buffer; its answers and errors, line
/// numbers included, are those of the search over the whole file in memory, wherever the buffer's
/// edges fall.
/// </summary>
public class BufferedScanMatchesTheWholeFile
{
    private const int MiB = 1024 * 1024;

    public static TheoryData<string, string> Files => new()
    {
        // A user's line straddling the first buffer's edge, and one past it.
        { Filler(MiB - 7) + "alice migrated\nbob legacy\n", "alice" },
        { Filler(MiB - 7) + "alice migrated\nbob legacy\n", "bob" },
        // A duplicate in another buffer than the first line: both line numbers named.
        { "alice legacy\n" + Filler(3 * MiB) + "alice migrated\n", "alice" },
        // A comment of several mebibytes (naming the user) is no problem, before or after the user.
        { "# " + string.Concat(Enumerable.Repeat("alice ", MiB)) + "\nalice migrated\n", "alice" },
        { "alice migrated\n# " + new string('x', 5 * MiB) + "\nbob legacy\n", "bob" },
        // The user's own line of several mebibytes is refused as too long; another user's is no concern.
        { "bob legacy\nalice migrated " + new string('x', 3 * MiB) + "\ncarol legacy\n", "alice" },
        { "bob legacy\nalice migrated " + new string('x', 3 * MiB) + "\ncarol legacy\n", "carol" },
        // A NUL byte after a long line, in a later buffer: an error for everyone, on its line.
        { "alice migrated\n# " + new string('x', 2 * MiB) + "\nbob legacy\n\0\n", "alice" },
        // A byte-order mark before the name, past the first buffer.
        { Filler(2 * MiB) + "\uFEFFalice migrated\n", "alice" },
        // No newline at the end of the file.
        { Filler(MiB + 3) + "alice migrated", "alice" },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void TheAnswerOrErrorIsTheWholeFilesOne(string content, string user)
    {
        using var dir = new TempDirectory();
        string path = dir.Write("state", content);
        byte[] bytes = Encoding.UTF8.GetBytes(content);
        foreach (bool countLines in new[] { true, false })
        {
            string expected = Outcome(() => StateFileSyntax.FindUser(bytes, Encoding.UTF8.GetBytes(user), path, countLines));
            Assert.Equal(expected, Outcome(() => StateFileReader.FindUser(path, user, countLines)));
        }
    }

    [Fact]
    public void TheCasesReachTheInterestingOutcomes()
    {
        string[] outcomes = [.. Files.Select(row => Outcome(() => StateFileSyntax.FindUser(Encoding.UTF8.GetBytes((string)row[0]), Encoding.UTF8.GetBytes((string)row[1]), "state")))];
        Assert.Contains(outcomes, o => o.EndsWith(": user 'alice' is listed again (first at line 1)", StringComparison.Ordinal) && !o.StartsWith("state:2:", StringComparison.Ordinal));
        Assert.Contains("state:2: line is longer than 65536 bytes", outcomes);
        Assert.Contains("state:4: not a state file: control byte 0x00", outcomes);
        Assert.Contains(outcomes, o => o.Contains("cannot be a user name", StringComparison.Ordinal));
        Assert.Contains(outcomes, o => o.StartsWith("alice migrated", StringComparison.Ordinal));
    }

    // Lines of other users, about size bytes: "u0000001 legacy\n"...
    private static string Filler(int size)
    {
        var text = new StringBuilder(size + 16);
        for (int i = 0; text.Length < size - 16; i++)
            text.Append('u').Append(i.ToString("D7", System.Globalization.CultureInfo.InvariantCulture)).Append(" legacy\n");
        return text.Append(new string('#', size - text.Length - 1)).Append('\n').ToString();
    }

    private static string Outcome(Func<StateEntry?> find)
    {
        try
        {
            return find() is { } e ? $"{e.User} {e.State} {e.Line} {e.Note}" : "not listed";
        }
        catch (StateFileException e)
        {
            return e.Message;
        }
    }
}
