using DovecotRootHelper.Mailboxes;

namespace DovecotRootHelper.Migration;

/// <summary>A mailbox the user has, by Dovecot's on-disk name (modified UTF-7), with the evidence for it.</summary>
public sealed record Mailbox(string Name, string DisplayName, MailboxEvidence Evidence, MailboxDisposition Disposition);

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
