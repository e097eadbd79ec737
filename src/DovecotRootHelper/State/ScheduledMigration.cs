namespace DovecotRootHelper.State;

/// <summary>
/// One scheduled migration: the user, when (UTC), whether the user was sent notices, and the target
/// location to convert the user's mail to (<c>imaproot schedule --to</c>); null for the root move.
/// </summary>
public sealed record ScheduledMigration(string User, DateTime At, bool Notify)
{
    public string? To { get; init; }
}
