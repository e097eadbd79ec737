namespace DovecotRootHelper.Migration;

/// <summary>The phases a journal records, in the order a migration (then a rollback) reaches them.</summary>
public static class JournalPhase
{
    public const string Planned = "planned";
    public const string Moved = "moved";
    public const string Verified = "verified";
    public const string Migrated = "migrated";
    public const string Complete = "complete";
    public const string Rollback = "rollback";
    public const string RolledBack = "rolled-back";
}
