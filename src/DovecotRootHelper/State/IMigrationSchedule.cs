namespace DovecotRootHelper.State;

/// <summary>
/// The schedule of migrations, locked against every other imaproot until disposed. Each change is
/// kept when the method returns.
/// </summary>
public interface IMigrationSchedule : IDisposable
{
    /// <summary>Where it is kept, for messages.</summary>
    string Name { get; }

    IReadOnlyList<ScheduledMigration> Entries { get; }

    /// <summary>Adds or moves the users' migrations (conversions to <paramref name="target"/> when set) to <paramref name="at"/>.</summary>
    /// <exception cref="ArgumentException">A name breaks <see cref="UserName"/>'s rule.</exception>
    void Schedule(IEnumerable<string> users, DateTime at, bool notify, string? target = null);

    /// <summary>Removes the users; returns those that were scheduled.</summary>
    List<ScheduledMigration> Cancel(IEnumerable<string> users);

    /// <summary>The migrations whose time has come at <paramref name="now"/>, earliest first.</summary>
    List<ScheduledMigration> Due(DateTime now) => [.. Entries.Where(e => e.At <= now.ToUniversalTime()).OrderBy(e => e.At)];
}
