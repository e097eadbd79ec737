namespace DovecotRootHelper.Mailboxes;

/// <summary>Why we believe a mailbox exists; a mailbox may have several.</summary>
[Flags]
public enum MailboxEvidence
{
    None = 0,

    /// <summary>Listed in the subscriptions file.</summary>
    Subscribed = 1,

    /// <summary>Has a Dovecot index directory under the legacy root.</summary>
    Indexed = 2,

    /// <summary>Named by the administrator (--mailbox, --mailboxes-from).</summary>
    Given = 4,

    /// <summary>Seen in Dovecot's logs (SELECT, STATUS, APPEND...).</summary>
    Logged = 8,
}
