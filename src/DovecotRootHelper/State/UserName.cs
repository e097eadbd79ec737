using System.Buffers;

namespace DovecotRootHelper.State;

/// <summary>
/// The one rule for a user name the project acts on, wherever it comes from (script-login's USER,
/// checkpassword's fd 3 or USER, the state file, the admin tools): something that can be a Unix
/// account and a single path component, and that the state file can hold on one line.
/// </summary>
public static class UserName
{
    public const int MaxLength = 256;

    // Printable ASCII but the characters the rule forbids anywhere in a name.
    private static readonly SearchValues<byte> PlainAscii = SearchValues.Create("!\"#$%&'()*+,-.0123456789;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~"u8);

    /// <summary>Null for a usable name, else why it is not one (for a message: "USER 'x' {problem}").</summary>
    public static string? Problem(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty)
            return "is empty";
        if (name.Length > MaxLength)
            return $"is longer than {MaxLength} characters";
        if (name is "." or "..")
            return "is not a name";
        if (name[0] is '-' or '#')
            return $"starts with '{name[0]}'";
        foreach (char c in name)
        {
            if (c <= ' ' || c == '\u007f')
                return "contains white space or a control character";
            // A byte-order mark, a zero-width or a no-break space: invisible in a listing, so a name
            // holding one is never the account it looks like.
            if (c > '\u007f' && IsBlankOrInvisible(c))
                return $"contains an invisible, blank or control character (U+{(int)c:X4})";
            // '/' would make it a path, ':' ends a passwd field, '\' escapes in Dovecot's files.
            if (c is '/' or ':' or '\\')
                return $"contains '{c}'";
        }
        return null;
    }

    public static bool IsValid(ReadOnlySpan<char> name) => Problem(name) is null;

    /// <summary>The same rule for a name as UTF-8 bytes (the state file's), which must be valid UTF-8; a plain ASCII name is passed without decoding.</summary>
    public static string? Problem(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxLength * 3)
            return $"is longer than {MaxLength} characters";
        // Decoding would turn a stray byte into U+FFFD, a name the rule accepts: the login's scan would
        // then pass over a line the admin tools refuse (found by fuzzing).
        if (!System.Text.Unicode.Utf8.IsValid(utf8))
            return "is not valid UTF-8";
        bool plain = !utf8.IsEmpty && utf8.Length <= MaxLength && !utf8.ContainsAnyExcept(PlainAscii)
            && utf8[0] is not ((byte)'-' or (byte)'#') && !utf8.SequenceEqual("."u8) && !utf8.SequenceEqual(".."u8);
        return plain ? null : Problem(System.Text.Encoding.UTF8.GetString(utf8));
    }

    private static bool IsBlankOrInvisible(char c) => System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c) is
        System.Globalization.UnicodeCategory.Control or System.Globalization.UnicodeCategory.Format
        or System.Globalization.UnicodeCategory.SpaceSeparator or System.Globalization.UnicodeCategory.LineSeparator
        or System.Globalization.UnicodeCategory.ParagraphSeparator;
}
