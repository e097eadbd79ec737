using System.Globalization;
using System.Text;
using DovecotRootHelper.Migration;

namespace DovecotRootHelper.Cli;

/// <summary>
/// Output for people that shows what users chose (plans, summaries, usage show, candidates,
/// status): everything written is escaped by <see cref="PrintableText"/>, so a control character in
/// a name neither reaches the admin's terminal nor forges a line; a line's own end, written by
/// <see cref="WriteLine()"/>, is left alone. JSON output does not come here: the serializer escapes
/// control characters itself (<c>\u001B</c>).
/// </summary>
internal sealed class VisibleText(TextWriter inner) : TextWriter(CultureInfo.InvariantCulture)
{
    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value)
    {
        if (PrintableText.MustEscape(value))
            inner.Write(PrintableText.Escape(value.ToString()));
        else
            inner.Write(value);
    }

    public override void Write(string? value) => inner.Write(value is null ? null : PrintableText.Escape(value));

    public override void WriteLine(string? value) => inner.WriteLine(value is null ? null : PrintableText.Escape(value));

    public override void WriteLine(ReadOnlySpan<char> buffer) => WriteLine(buffer.ToString());

    public override void WriteLine() => inner.WriteLine();

    public override void Flush() => inner.Flush();
}
