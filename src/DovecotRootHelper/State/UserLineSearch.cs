using System.Text;
using DovecotRootHelper.Locations;

namespace DovecotRootHelper.State;

/// <summary>
/// The search for one user's line, fed the file a run of whole lines at a time so that the login
/// hook can read a file of any size through one small buffer. Every line naming the user is checked
/// (a duplicate is an error naming both lines) without parsing the rest; a NUL byte anywhere is an
/// error for everyone.
/// </summary>
internal sealed class UserLineSearch(byte[] user, string path, bool countLines, TargetLocations? targets)
{
    private int _foundLine;

    /// <summary>The user's line; its <see cref="StateEntry.Line"/> is 0 unless line numbers were asked for.</summary>
    public StateEntry? Found { get; private set; }

    /// <summary>
    /// Searches <paramref name="content"/>, whole lines of which the first is line <paramref name="firstLine"/>.
    /// Two vectorised passes (NUL bytes, the user's name); lines are counted only for a hit or an error.
    /// </summary>
    public void Scan(ReadOnlySpan<byte> content, int firstLine)
    {
        RequireNoNul(content, firstLine);
        int offset = 0;
        while (offset < content.Length)
        {
            int hit = content[offset..].IndexOf(user);
            if (hit < 0)
                break;
            int start = offset + hit;
            int lineStart = content[..start].LastIndexOf((byte)'\n') + 1;
            int lineLength = content[lineStart..].IndexOf((byte)'\n');
            int lineEnd = lineLength < 0 ? content.Length : lineStart + lineLength;
            // Whatever this hit is, the rest of its line cannot start the user's line: on to the
            // next line, so that a long line full of the name costs one pass, not one per hit.
            offset = lineEnd + 1;
            ReadOnlySpan<byte> before = content[lineStart..start].TrimStart(" \t\r"u8);
            int end = start + user.Length;
            bool endsField = end == content.Length || IsSeparator(content[end]);
            if (!before.IsEmpty)
            {
                // The name ends a first field that is no user name (a byte-order mark or an
                // invisible space before it): the admin tools refuse that line, so must the login.
                ReadOnlySpan<byte> field = content[(start - before.Length)..end];
                if (endsField && !before.ContainsAny(StateFileSyntax.Blanks) && before[0] != (byte)'#' && UserName.Problem(field) is { } problem)
                    throw new StateFileException(path, LineAt(content, lineStart, firstLine), $"'{Encoding.UTF8.GetString(field)}' cannot be a user name: it {problem}");
                continue;
            }
            if (!endsField)
                continue;
            int lineNumber = LineAt(content, lineStart, firstLine);
            StateEntry entry = StateFileSyntax.ParseLine(content[lineStart..lineEnd], lineNumber, path, targets)
                ?? throw new StateFileException(path, lineNumber, "cannot parse line");
            if (Found is not null)
                throw new StateFileException(path, lineNumber, $"user '{entry.User}' is listed again (first at line {_foundLine})");
            _foundLine = lineNumber;
            Found = countLines ? entry : entry with { Line = 0 };
        }
    }

    /// <summary>
    /// At every login only NUL bytes, at memchr speed: a crash that zero-fills a block and a binary
    /// file in the wrong place both show them. The full check runs in the admin tools.
    /// </summary>
    public void RequireNoNul(ReadOnlySpan<byte> content, int firstLine)
    {
        int nul = content.IndexOf((byte)0);
        if (nul >= 0)
            throw new StateFileException(path, LineAt(content, nul, firstLine), "not a state file: control byte 0x00");
    }

    private static bool IsSeparator(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';

    private static int LineAt(ReadOnlySpan<byte> content, int offset, int firstLine) => content[..offset].Count((byte)'\n') + firstLine;
}
