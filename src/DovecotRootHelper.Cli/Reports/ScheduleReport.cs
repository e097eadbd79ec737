namespace DovecotRootHelper.Cli.Reports;

/// <summary>imaproot schedule --list --json.</summary>
internal sealed record ScheduleReport(IReadOnlyList<ScheduledUser> Scheduled);

/// <summary>One scheduled migration: when (UTC), whether the user was sent the notice, whether run-due would take it now.</summary>
internal sealed record ScheduledUser(string User, string At, bool Notified, bool Due)
{
    /// <summary>The target of a scheduled conversion; null for the root move.</summary>
    public string? To { get; init; }
}
