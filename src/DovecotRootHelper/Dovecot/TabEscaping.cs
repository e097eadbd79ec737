using System.Text;

namespace DovecotRootHelper.Dovecot;

/// <summary>
/// Dovecot's tab-escaping (lib/strescape.c, <c>str_append_tabescaped</c>), used wherever its
/// protocols put fields on TAB-separated lines: 0x01 becomes 0x01 '1', TAB 0x01 't', CR 0x01 'r',
/// LF 0x01 'n'; unescaping takes any other byte after 0x01 for itself.
/// </summary>
public static class TabEscaping
{
    private const char Marker = '\u0001';

    public static string Escape(string field)
    {
        if (field.AsSpan().IndexOfAny("\u0001\t\r\n") < 0)
            return field;
        var text = new StringBuilder(field.Length + 8);
        foreach (char c in field)
        {
            _ = c switch
            {
                Marker => text.Append(Marker).Append('1'),
                '\t' => text.Append(Marker).Append('t'),
                '\r' => text.Append(Marker).Append('r'),
                '\n' => text.Append(Marker).Append('n'),
                _ => text.Append(c),
            };
        }
        return text.ToString();
    }

    public static string Unescape(string field)
    {
        if (!field.Contains(Marker, StringComparison.Ordinal))
            return field;
        var text = new StringBuilder(field.Length);
        for (int i = 0; i < field.Length; i++)
        {
            if (field[i] != Marker || i + 1 == field.Length)
            {
                text.Append(field[i]);
                continue;
            }
            char next = field[++i];
            text.Append(next switch { '1' => Marker, 't' => '\t', 'r' => '\r', 'n' => '\n', _ => next });
        }
        return text.ToString();
    }
}
