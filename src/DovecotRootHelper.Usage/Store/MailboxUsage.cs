namespace DovecotRootHelper.Usage.Store;

/// <summary>What the logs say about one of a user's mailboxes (on-disk name); times are Unix seconds.</summary>
/// <param name="Commands">Counts per command, e.g. SELECT 3, STATUS 12.</param>
public sealed record MailboxUsage(
    string Mailbox, long Count, long? FirstSeen, long? LastSeen, IReadOnlyDictionary<string, long> Commands,
    long? Created, long? Deleted, string? RenamedFrom, string? RenamedTo)
{
    /// <summary>Deleted (or renamed away) after its last use: gone, as far as the logs know.</summary>
    public bool IsGone => (Deleted is { } d && d >= (LastSeen ?? long.MinValue) && d >= (Created ?? long.MinValue)) || (RenamedTo is not null && Count == 0);
}

/// <summary>A user's LIST and LSUB commands: how many walked the whole root, and their running time.</summary>
public sealed record ListUsage(string User, long Lists, long FullTreeLists, long FullTreeUsecs, long MaxFullTreeUsecs, long? LastFullTree);
