using System.Buffers.Text;
using System.Text;
using System.Text.Unicode;

namespace DovecotRootHelper.Usage.Logs;

/// <summary>
/// Fields of one event as Dovecot's stats exporter writes it to the log (format = json): a flat
/// object whose "fields" object holds user, cmd_name, cmd_args, tagged_reply_state,
/// running_usecs. A field is found by its key with a ',' or '{' before it: inside a JSON string
/// every '"' is escaped, so that sequence cannot occur in a value (a client cannot forge a field).
/// </summary>
internal static class ExportedEvent
{
    /// <summary>The raw (still escaped) value of a string field, or false when absent or not a string.</summary>
    public static bool TryGetRaw(ReadOnlySpan<byte> json, ReadOnlySpan<byte> quotedKeyColon, out ReadOnlySpan<byte> raw, out bool isString)
    {
        raw = default;
        isString = false;
        int from = 0;
        while (true)
        {
            int at = json[from..].IndexOf(quotedKeyColon);
            if (at < 0)
                return false;
            at += from;
            if (at > 0 && json[at - 1] is (byte)',' or (byte)'{')
            {
                int start = at + quotedKeyColon.Length;
                if (start >= json.Length)
                    return false;
                if (json[start] == '"')
                {
                    int end = StringEnd(json, start + 1);
                    if (end < 0)
                        return false;
                    raw = json[(start + 1)..end];
                    isString = true;
                    return true;
                }
                int stop = start;
                while (stop < json.Length && json[stop] is not ((byte)',' or (byte)'}'))
                    stop++;
                raw = json[start..stop];
                return true;
            }
            from = at + 1;
        }
    }

    public static string? String(ReadOnlySpan<byte> json, ReadOnlySpan<byte> quotedKeyColon) =>
        TryGetRaw(json, quotedKeyColon, out ReadOnlySpan<byte> raw, out bool isString) && isString ? Unescape(raw) : null;

    /// <summary>
    /// A string field decoded into <paramref name="destination"/> (at least as long as the field's
    /// raw bytes) without making a string: what <see cref="String"/> returns, as characters; false where it returns null.
    /// </summary>
    public static bool TryString(ReadOnlySpan<byte> json, ReadOnlySpan<byte> quotedKeyColon, Span<char> destination, out int written)
    {
        written = 0;
        return TryGetRaw(json, quotedKeyColon, out ReadOnlySpan<byte> raw, out bool isString) && isString && TryUnescape(raw, destination, out written);
    }

    public static long Number(ReadOnlySpan<byte> json, ReadOnlySpan<byte> quotedKeyColon) =>
        TryGetRaw(json, quotedKeyColon, out ReadOnlySpan<byte> raw, out bool isString) && !isString
            && Utf8Parser.TryParse(raw, out long value, out int used) && used == raw.Length && value >= 0 ? value : 0;

    // The index of the closing quote of a string whose contents start at `from`, or -1.
    private static int StringEnd(ReadOnlySpan<byte> json, int from)
    {
        for (int i = from; i < json.Length; i++)
        {
            int next = json[i..].IndexOfAny((byte)'"', (byte)'\\');
            if (next < 0)
                return -1;
            i += next;
            if (json[i] == '"')
                return i;
            i++; // Skip the escaped character.
        }
        return -1;
    }

    /// <summary>Decodes a JSON string's contents; null when an escape or the UTF-8 is invalid.</summary>
    public static string? Unescape(ReadOnlySpan<byte> raw)
    {
        char[] text = new char[raw.Length];
        return TryUnescape(raw, text, out int written) ? new string(text, 0, written) : null;
    }

    /// <summary>Decodes a JSON string's contents into <paramref name="destination"/> (at least <c>raw.Length</c> long); false when an escape or the UTF-8 is invalid.</summary>
    public static bool TryUnescape(ReadOnlySpan<byte> raw, Span<char> destination, out int written)
    {
        written = 0;
        if (raw.IndexOf((byte)'\\') < 0)
            return Utf8.ToUtf16(raw, destination, out _, out written, replaceInvalidSequences: false) == System.Buffers.OperationStatus.Done;
        if (!Utf8.IsValid(raw))
            return false;
        int i = 0;
        while (i < raw.Length)
        {
            int next = raw[i..].IndexOf((byte)'\\');
            if (next < 0)
            {
                written += Encoding.UTF8.GetChars(raw[i..], destination[written..]);
                break;
            }
            written += Encoding.UTF8.GetChars(raw.Slice(i, next), destination[written..]);
            i += next + 1;
            if (i >= raw.Length)
                return false;
            byte e = raw[i++];
            char c;
            switch (e)
            {
                case (byte)'"': c = '"'; break;
                case (byte)'\\': c = '\\'; break;
                case (byte)'/': c = '/'; break;
                case (byte)'b': c = '\b'; break;
                case (byte)'f': c = '\f'; break;
                case (byte)'n': c = '\n'; break;
                case (byte)'r': c = '\r'; break;
                case (byte)'t': c = '\t'; break;
                case (byte)'u':
                    if (i + 4 > raw.Length || !Utf8Parser.TryParse(raw.Slice(i, 4), out ushort code, out int used, 'X') || used != 4)
                        return false;
                    c = (char)code;
                    i += 4;
                    break;
                default:
                    return false;
            }
            destination[written++] = c;
        }
        // A lone surrogate from \uD800 without its pair is not a name anything can hold.
        return IsWellFormed(destination[..written]);
    }

    private static bool IsWellFormed(ReadOnlySpan<char> text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                    return false;
                i++;
            }
            else if (char.IsLowSurrogate(text[i]))
            {
                return false;
            }
        }
        return true;
    }
}
