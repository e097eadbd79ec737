using System.Text;

namespace DovecotRootHelper.Dovecot;

/// <summary>
/// The line Dovecot's script-login sends imap (or pop3) at the end of a post-login chain, built the
/// way script-login 2.3 builds it: <c>USER</c> as it is, then for each name in <c>USERDB_KEYS</c>
/// whose upper-cased variable is set, a TAB and <c>key=value</c> with the key lower-cased and TAB,
/// CR, LF and 0x01 escaped as Dovecot's tab-escaping does; then LF. It travels over fd 3 together
/// with the client's socket.
/// </summary>
public static class ScriptLoginReply
{
    /// <summary>script-login's SCRIPT_COMM_FD: the socket back to the mail process.</summary>
    public const int MailProcessSocket = 3;

    private const char Escape = '\u0001';

    /// <summary>The reply for <paramref name="user"/>; values are copied as bytes (script-login copies, it does not decode).</summary>
    public static byte[] Format(ReadOnlySpan<byte> user, string? keys, Func<string, byte[]?> variable)
    {
        var reply = new List<byte>(256);
        reply.AddRange(user);
        foreach (string key in (keys ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            byte[]? value = variable(AsciiCase(key, upper: true));
            if (value is null)
                continue;
            reply.Add((byte)'\t');
            AppendEscaped(reply, Encoding.UTF8.GetBytes(AsciiCase(key, upper: false)));
            reply.Add((byte)'=');
            AppendEscaped(reply, value);
        }
        reply.Add((byte)'\n');
        return [.. reply];
    }

    // Dovecot changes the case of ASCII letters only (i_toupper, i_tolower).
    internal static string AsciiCase(string key, bool upper)
    {
        return string.Create(key.Length, (key, upper), static (span, state) =>
        {
            for (int i = 0; i < span.Length; i++)
            {
                char c = state.key[i];
                span[i] = state.upper
                    ? (c is >= 'a' and <= 'z' ? (char)(c - 32) : c)
                    : (c is >= 'A' and <= 'Z' ? (char)(c + 32) : c);
            }
        });
    }

    private static void AppendEscaped(List<byte> reply, ReadOnlySpan<byte> text)
    {
        foreach (byte b in text)
        {
            switch (b)
            {
                case (byte)Escape: reply.Add((byte)Escape); reply.Add((byte)'1'); break;
                case (byte)'\t': reply.Add((byte)Escape); reply.Add((byte)'t'); break;
                case (byte)'\r': reply.Add((byte)Escape); reply.Add((byte)'r'); break;
                case (byte)'\n': reply.Add((byte)Escape); reply.Add((byte)'n'); break;
                default: reply.Add(b); break;
            }
        }
    }
}
