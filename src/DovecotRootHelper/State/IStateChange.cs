namespace DovecotRootHelper.State;

/// <summary>
/// A change of the state under <see cref="IStateStore.BeginChange"/>'s lock. The state file is
/// written by each call; the database keeps the change at <see cref="Commit"/> and nothing of it
/// when disposed without.
/// </summary>
public interface IStateChange : IDisposable
{
    /// <summary>The user's entry as it is now, under the lock.</summary>
    StateEntry? Find(string user);

    /// <summary>Lists or relists one user; the entry as it will be kept.</summary>
    StateEntry SetState(string user, UserState state, string note);

    /// <summary>Many users, with one note.</summary>
    void SetStates(IReadOnlyList<(string User, UserState State)> changes, string note);

    /// <summary>Keeps the change: Dovecot reads it from now on (see <see cref="IStateStore.WaitUntilServed"/>).</summary>
    void Commit();
}
