namespace DovecotRootHelper.Cli.Reports;

/// <summary>imaproot usage show USER --json.</summary>
internal sealed record UsageShowReport(string User, string Database, int WindowDays, IReadOnlyList<MailboxUseRow> Mailboxes, IReadOnlyList<string> Notes);

/// <summary>
/// One mailbox name, reconciled: subscribed, seen in the logs (when last, how often, by which
/// commands), has an index directory, exists on disk, is an mbox; and the disagreements.
/// </summary>
internal sealed record MailboxUseRow(
    string Name, string DisplayName, bool Subscribed, long LoggedCount, string? LastSeen, IReadOnlyDictionary<string, long> Commands,
    bool Indexed, bool OnDisk, bool IsMbox, string? Created, string? Deleted, string? RenamedFrom, string? RenamedTo, IReadOnlyList<string> Disagreements);
