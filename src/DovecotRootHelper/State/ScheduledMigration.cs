namespace DovecotRootHelper.State;

/// <summary>One scheduled migration: the user, when (UTC), and whether the user was sent notices.</summary>
public sealed record ScheduledMigration(string User, DateTime At, bool Notify);
