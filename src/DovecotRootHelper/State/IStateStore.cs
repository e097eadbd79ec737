namespace DovecotRootHelper.State;

/// <summary>
/// Where the users' states are kept, as imaproot reads and changes them: the state file, or the
/// PostgreSQL database. Every command goes through this, so that both give the same answers.
/// </summary>
public interface IStateStore : IDisposable
{
    /// <summary>For messages: the state file's path, or the database's description.</summary>
    string Name { get; }

    /// <summary>Where <paramref name="entry"/> is kept, for messages: the file and line, or the table.</summary>
    string Where(StateEntry entry);

    /// <summary>The user's entry, or null when the user is not listed.</summary>
    /// <exception cref="StateUnreadableException">The state cannot be read (a bad line, the server down).</exception>
    StateEntry? Find(string user);

    /// <summary>Every listed user, in the state's order.</summary>
    /// <exception cref="StateUnreadableException">The state cannot be read (a bad line, the server down).</exception>
    IReadOnlyList<StateEntry> Entries();

    /// <summary>
    /// Starts a change: no other imaproot, on any host, changes the state until it is disposed.
    /// Returns once the state can be changed.
    /// </summary>
    IStateChange BeginChange();

    /// <summary>
    /// Returns once Dovecot serves the last change committed through this store (the all-services
    /// passwd-file is read again only when its mtime's second has passed); at once when Dovecot
    /// reads the state itself.
    /// </summary>
    void WaitUntilServed();

    /// <summary>
    /// One imaproot at a time per user, site-wide, for a whole migration, resume or rollback; null
    /// when another holds it.
    /// </summary>
    IDisposable? TryLockUser(string user);

    /// <summary>One run-due at a time, site-wide; null when another holds it.</summary>
    IDisposable? TryLockRunDue();

    /// <summary>For messages: which lock another imaproot holds (the user's, or run-due's when null).</summary>
    string HeldLock(string? user);

    /// <summary>The schedule of migrations, locked (waiting for another imaproot's change) and read.</summary>
    IMigrationSchedule LockSchedule();
}
