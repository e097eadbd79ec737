using System.Text;

namespace DovecotRootHelper.Dovecot;

/// <summary>
/// What imap (or pop3) sends its post-login service, read the way Dovecot 2.3's script-login reads
/// it: a version line <c>VERSION\tscript-login\t1\t0</c>, then <c>LOCAL_IP\tIP\tUSER\tkey=value...</c>
/// (tab-escaped), with the client's socket attached. Turned into the environment script-login
/// hands a post-login script: <c>LOCAL_IP</c>, <c>IP</c>, <c>USER</c>, each field under its
/// upper-cased key, and <c>USERDB_KEYS</c> listing those keys.
/// </summary>
public static class ScriptLoginRequest
{
    /// <summary>Whether <paramref name="received"/> holds both lines yet.</summary>
    public static bool IsComplete(ReadOnlySpan<byte> received) =>
        received.Length > 0 && received[^1] == (byte)'\n' && received.Count((byte)'\n') >= 2;

    /// <exception cref="FormatException">Not a script-login request of protocol version 1.</exception>
    public static Dictionary<string, string> ToEnvironment(ReadOnlySpan<byte> received)
    {
        // Dovecot's strings hold no NUL (execve would cut a value at one), and decoding would turn
        // a byte that is not UTF-8 into U+FFFD, another USER than the one Dovecot sent.
        if (received.Contains((byte)0))
            throw new FormatException("request holds a NUL byte");
        if (!System.Text.Unicode.Utf8.IsValid(received))
            throw new FormatException("request is not valid UTF-8");
        string text = Encoding.UTF8.GetString(received);
        int firstEnd = text.IndexOf('\n', StringComparison.Ordinal);
        string version = firstEnd < 0 ? text : text[..firstEnd];
        if (!version.StartsWith("VERSION\tscript-login\t1\t", StringComparison.Ordinal))
            throw new FormatException($"not a script-login protocol 1 request: '{Printable(version)}'");
        string[] fields = text[(firstEnd + 1)..].TrimEnd('\n').Split('\t');
        if (fields.Length < 3)
            throw new FormatException("request has fewer than 3 fields (local IP, remote IP, user)");
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["LOCAL_IP"] = TabEscaping.Unescape(fields[0]),
            ["IP"] = TabEscaping.Unescape(fields[1]),
            ["USER"] = TabEscaping.Unescape(fields[2]),
        };
        var keys = new StringBuilder();
        foreach (string field in fields.AsSpan(3))
        {
            string pair = TabEscaping.Unescape(field);
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            // No '=', or nothing before it: no name an environment can carry.
            if (equals <= 0)
                continue;
            string key = ScriptLoginReply.AsciiCase(pair[..equals], upper: true);
            env[key] = pair[(equals + 1)..];
            keys.Append(key).Append(' ');
        }
        env[UserdbReply.KeysVariable] = keys.ToString();
        return env;
    }

    private static string Printable(string line) => line.Length > 60 ? line[..60].Replace('\t', ' ') + "..." : line.Replace('\t', ' ');
}
