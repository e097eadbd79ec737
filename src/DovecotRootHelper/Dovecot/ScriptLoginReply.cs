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

    public static byte[] Format(string user, string? keys, Func<string, string?> variable)
    {
        var reply = new StringBuilder(user, 256);
        foreach (string key in (keys ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            string? value = variable(AsciiCase(key, upper: true));
            if (value is null)
                continue;
            reply.Append('\t');
            AppendEscaped(reply, AsciiCase(key, upper: false));
            reply.Append('=');
            AppendEscaped(reply, value);
        }
        reply.Append('\n');
        return Encoding.UTF8.GetBytes(reply.ToString());
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

    private static void AppendEscaped(StringBuilder reply, string text)
    {
        foreach (char c in text)
        {
            switch (c)
            {
                case Escape: reply.Append(Escape).Append('1'); break;
                case '\t': reply.Append(Escape).Append('t'); break;
                case '\r': reply.Append(Escape).Append('r'); break;
                case '\n': reply.Append(Escape).Append('n'); break;
                default: reply.Append(c); break;
            }
        }
    }
}
