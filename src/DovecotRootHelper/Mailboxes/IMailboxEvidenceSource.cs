namespace DovecotRootHelper.Mailboxes;

/// <summary>
/// A source of evidence about which mailboxes a user has, beyond the files themselves. The
/// subscriptions file, the index directories and the administrator's list are built in; a later
/// source scans Dovecot's logs.
/// </summary>
public interface IMailboxEvidenceSource
{
    MailboxEvidence Kind { get; }

    /// <summary>On-disk (modified UTF-7) mailbox names this source knows for the user.</summary>
    IEnumerable<string> MailboxNames(string user);
}
