namespace DovecotRootHelper.Migration;

/// <summary>A mailbox the user has, by Dovecot's on-disk name (modified UTF-7), with the evidence for it.</summary>
public sealed record Mailbox(string Name, string DisplayName, MailboxEvidence Evidence, MailboxDisposition Disposition);

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

/// <summary>What the plan does with a discovered mailbox.</summary>
public enum MailboxDisposition
{
    /// <summary>Its file (and index) move under the migrated root.</summary>
    Moves,

    /// <summary>No file exists under the legacy root (e.g. subscribed but deleted): nothing to move.</summary>
    Missing,

    /// <summary>
    /// It exists but is not a mailbox the plan may move (a dot-entry at the home's top level, a file
    /// that is not an mbox, a directory holding no moving mailbox, a symlink...): left, with a note.
    /// </summary>
    LeftInPlace,

    /// <summary>A directory holding mailboxes that move: it is recreated (or moved whole) under the migrated root with them.</summary>
    Folder,
}

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
