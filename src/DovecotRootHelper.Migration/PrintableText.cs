using System.Globalization;
using System.Text;

namespace DovecotRootHelper.Migration;

/// <summary>
/// The one rule for showing text users chose (mailbox names, raw or decoded from modified UTF-7,
/// where <c>&amp;ABs-</c> is ESC; paths in their homes; words of their mail filters; error text
/// quoting them) to an administrator or in a mail: C0 and C1 controls and DEL become <c>\x1b</c>,
/// Unicode's line, paragraph and bidirectional controls <c>\u202e</c>, so that none drives a
/// terminal, forges a line or reorders what is read. Backslashes are left alone: readable paths
/// matter more than telling a literal "\x1b" from an escaped ESC.
/// </summary>
public static class PrintableText
{
    /// <summary>The text with every such character escaped; the same string when it holds none.</summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int first = 0;
        while (first < text.Length && !MustEscape(text[first]))
            first++;
        if (first == text.Length)
            return text;
        var escaped = new StringBuilder(text.Length + 8);
        escaped.Append(text, 0, first);
        for (int i = first; i < text.Length; i++)
            Append(escaped, text[i]);
        return escaped.ToString();
    }

    /// <summary>Appends the character, escaped if the rule says so.</summary>
    public static void Append(StringBuilder text, char c)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!MustEscape(c))
            text.Append(c);
        else if (c <= '\u00FF')
            text.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
        else
            text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
    }

    public static bool MustEscape(char c) =>
        char.IsControl(c) || c is '\u2028' or '\u2029' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') or '\u200E' or '\u200F' or '\u061C';
}
