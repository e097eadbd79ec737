using System.Globalization;
using System.Text;

namespace DovecotRootHelper.Cli;

/// <summary>
/// The one rule for human output that shows what users chose: mailbox names (raw, or decoded from
/// modified UTF-7, where <c>&amp;ABs-</c> is ESC), paths in their homes, words from their mail
/// filters, user names from the logs. A control character there would drive the admin's terminal,
/// a newline forge a line of the report; so C0 and C1 controls, DEL, and Unicode's line, paragraph
/// and bidirectional controls are written as <c>\x1b</c> (up to U+00FF) or <c>\u202e</c>. A line's
/// own end, written by <see cref="WriteLine()"/>, is left alone. JSON output does not come here: the
/// serializer escapes control characters itself (<c>\u001B</c>).
/// </summary>
internal sealed class VisibleText(TextWriter inner) : TextWriter(CultureInfo.InvariantCulture)
{
    public override Encoding Encoding => inner.Encoding;

    /// <summary>The text with every such character escaped; the same string when it holds none.</summary>
    public static string Escape(string text)
    {
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

    public override void Write(char value)
    {
        if (MustEscape(value))
            inner.Write(Escape(value.ToString()));
        else
            inner.Write(value);
    }

    public override void Write(string? value) => inner.Write(value is null ? null : Escape(value));

    public override void WriteLine(string? value) => inner.WriteLine(value is null ? null : Escape(value));

    public override void WriteLine(ReadOnlySpan<char> buffer) => WriteLine(buffer.ToString());

    public override void WriteLine() => inner.WriteLine();

    public override void Flush() => inner.Flush();

    private static bool MustEscape(char c) =>
        char.IsControl(c) || c is '\u2028' or '\u2029' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') or '\u200E' or '\u200F' or '\u061C';

    private static void Append(StringBuilder escaped, char c)
    {
        if (!MustEscape(c))
            escaped.Append(c);
        else if (c <= '\u00FF')
            escaped.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
        else
            escaped.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
    }
}
