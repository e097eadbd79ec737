using DovecotRootHelper.Mailboxes;

namespace DovecotRootHelper.Usage.Logs;

/// <summary>
/// Turns the names clients send (and mail_log writes) into on-disk names: the private namespace's
/// prefix comes off, its hierarchy separator becomes '/', and mail_log's UTF-8 names are encoded
/// in modified UTF-7 as mbox stores them.
/// </summary>
/// <param name="Prefix">The inbox namespace's prefix ("" by default, "INBOX." in Courier-style setups).</param>
/// <param name="Separator">The namespace's hierarchy separator ('/' by default for mbox).</param>
public sealed record MailboxNaming(string Prefix, char Separator)
{
    public static MailboxNaming Default { get; } = new("", '/');

    /// <summary>The on-disk name for a name as the client sent it (modified UTF-7); null when it is outside the namespace or not valid.</summary>
    public string? FromClient(string name, out LineVerdict verdict)
    {
        string? local = Local(name, out verdict);
        if (local is null)
            return null;
        if (ModifiedUtf7.TryDecode(local) is null)
        {
            verdict = LineVerdict.Malformed;
            return null;
        }
        return local;
    }

    /// <summary>The on-disk name for a mail_log name (UTF-8, Dovecot's virtual name).</summary>
    public string? FromMailLog(string name, out LineVerdict verdict)
    {
        string? local = Local(name, out verdict);
        if (local is null)
            return null;
        foreach (char c in local)
        {
            if (char.IsControl(c))
            {
                verdict = LineVerdict.Malformed;
                return null;
            }
        }
        return ModifiedUtf7.Encode(local);
    }

    private string? Local(string name, out LineVerdict verdict)
    {
        verdict = LineVerdict.Event;
        if (name.Equals("INBOX", StringComparison.OrdinalIgnoreCase))
            return "INBOX";
        if (Prefix.Length > 0)
        {
            if (name.Length > 0 && name == Prefix[..^1] && Prefix[^1] == Separator)
                return "INBOX"; // "INBOX." names the namespace root, INBOX itself in that layout.
            if (!name.StartsWith(Prefix, StringComparison.Ordinal))
            {
                verdict = LineVerdict.OtherNamespace;
                return null;
            }
            name = name[Prefix.Length..];
        }
        if (name.Length == 0 || name.Contains('\0', StringComparison.Ordinal))
        {
            verdict = LineVerdict.Malformed;
            return null;
        }
        if (Separator != '/')
        {
            if (name.Contains('/', StringComparison.Ordinal))
            {
                verdict = LineVerdict.Malformed; // Not a name mbox can store with this separator.
                return null;
            }
            name = name.Replace(Separator, '/');
        }
        return name;
    }
}
