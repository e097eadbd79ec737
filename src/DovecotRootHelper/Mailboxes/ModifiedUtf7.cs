using System.Text;

namespace DovecotRootHelper.Mailboxes;

/// <summary>
/// IMAP's modified UTF-7 (RFC 3501 5.1.3), the encoding of Dovecot's on-disk mailbox names:
/// printable ASCII stands for itself, "&amp;-" is "&amp;", and "&amp;...-" is UTF-16 in base64 with ','
/// instead of '/'.
/// </summary>
public static class ModifiedUtf7
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

    /// <summary>The decoded name, or null when <paramref name="name"/> is not valid modified UTF-7.</summary>
    public static string? TryDecode(string name)
    {
        var result = new StringBuilder(name.Length);
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (c < 0x20 || c > 0x7E)
                return null;
            if (c != '&')
            {
                result.Append(c);
                continue;
            }
            int end = name.IndexOf('-', i + 1);
            if (end < 0)
                return null;
            if (end == i + 1)
            {
                result.Append('&');
                i = end;
                continue;
            }
            if (!DecodeShifted(name.AsSpan(i + 1, end - i - 1), result))
                return null;
            i = end;
        }
        return result.ToString();
    }

    /// <summary>The decoded name, or the name itself when it is not valid modified UTF-7 (shown as stored).</summary>
    public static string Decode(string name) => TryDecode(name) ?? name;

    /// <summary>Encodes a Unicode name the way Dovecot stores it.</summary>
    public static string Encode(string name)
    {
        var result = new StringBuilder(name.Length);
        int i = 0;
        while (i < name.Length)
        {
            char c = name[i];
            if (c >= 0x20 && c <= 0x7E)
            {
                result.Append(c == '&' ? "&-" : c.ToString());
                i++;
                continue;
            }
            int start = i;
            while (i < name.Length && (name[i] < 0x20 || name[i] > 0x7E))
                i++;
            result.Append('&');
            int bits = 0;
            int buffer = 0;
            for (int k = start; k < i; k++)
            {
                buffer = (buffer << 16) | name[k];
                bits += 16;
                while (bits >= 6)
                {
                    bits -= 6;
                    result.Append(Alphabet[(buffer >> bits) & 0x3F]);
                }
            }
            if (bits > 0)
                result.Append(Alphabet[(buffer << (6 - bits)) & 0x3F]);
            result.Append('-');
        }
        return result.ToString();
    }

    private static bool DecodeShifted(ReadOnlySpan<char> base64, StringBuilder result)
    {
        int bits = 0;
        int buffer = 0;
        int start = result.Length;
        foreach (char c in base64)
        {
            int value = Alphabet.IndexOf(c, StringComparison.Ordinal);
            if (value < 0)
                return false;
            buffer = ((buffer << 6) | value) & 0xFFFFFF;
            bits += 6;
            if (bits >= 16)
            {
                bits -= 16;
                result.Append((char)((buffer >> bits) & 0xFFFF));
            }
        }
        // Leftover bits must be padding zeros, and the run must be whole UTF-16 that is not plain ASCII.
        if (bits >= 6 || (buffer & ((1 << bits) - 1)) != 0 || result.Length == start)
            return false;
        for (int k = start; k < result.Length; k++)
        {
            char u = result[k];
            if (u >= 0x20 && u <= 0x7E)
                return false;
            if (char.IsHighSurrogate(u) && (k + 1 >= result.Length || !char.IsLowSurrogate(result[k + 1])))
                return false;
            if (char.IsLowSurrogate(u) && (k == start || !char.IsHighSurrogate(result[k - 1])))
                return false;
        }
        return true;
    }
}
