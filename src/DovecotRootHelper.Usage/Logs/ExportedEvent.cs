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
        if (raw.IndexOf((byte)'\\') < 0)
            return Utf8.IsValid(raw) ? Encoding.UTF8.GetString(raw) : null;
        if (!Utf8.IsValid(raw))
            return null;
        var result = new StringBuilder(raw.Length);
        int i = 0;
        while (i < raw.Length)
        {
            int next = raw[i..].IndexOf((byte)'\\');
            if (next < 0)
            {
                result.Append(Encoding.UTF8.GetString(raw[i..]));
                break;
            }
            result.Append(Encoding.UTF8.GetString(raw.Slice(i, next)));
            i += next + 1;
            if (i >= raw.Length)
                return null;
            byte e = raw[i++];
            switch (e)
            {
                case (byte)'"': result.Append('"'); break;
                case (byte)'\\': result.Append('\\'); break;
                case (byte)'/': result.Append('/'); break;
                case (byte)'b': result.Append('\b'); break;
                case (byte)'f': result.Append('\f'); break;
                case (byte)'n': result.Append('\n'); break;
                case (byte)'r': result.Append('\r'); break;
                case (byte)'t': result.Append('\t'); break;
                case (byte)'u':
                    if (i + 4 > raw.Length || !Utf8Parser.TryParse(raw.Slice(i, 4), out ushort code, out int used, 'X') || used != 4)
                        return null;
                    result.Append((char)code);
                    i += 4;
                    break;
                default:
                    return null;
            }
        }
        string text = result.ToString();
        // A lone surrogate from \uD800 without its pair is not a name anything can hold.
        return IsWellFormed(text) ? text : null;
    }

    private static bool IsWellFormed(string text)
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
