using DovecotRootHelper.Configuration;
using DovecotRootHelper.Decision;
using DovecotRootHelper.Locations;
using DovecotRootHelper.Posix;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Migration;

/// <summary>
/// The users' states, as a migration reads and writes them: read as the login hook (or Dovecot's
/// sql userdb) decides, written under the store's lock, and with the all-services userdb not
/// returned from until Dovecot serves what was written.
/// </summary>
internal sealed class UserStates(HelperConfig config, IStateStore store)
{
    /// <summary>The account's state and root, as the login hook would decide them.</summary>
    public RootDecision Decide(UnixAccount account)
    {
        StateEntry? entry;
        try
        {
            entry = store.Find(account.Name);
        }
        catch (StateUnreadableException e)
        {
            throw new MigrationException($"{store.Name}: {e.Message}", e);
        }
        try
        {
            return RootDecision.Decide(config, account.Name, account.Home, account.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture), entry, entry is null ? null : store.Where(entry));
        }
        catch (LocationException e)
        {
            throw new MigrationException($"{account.Name}: {e.Message}", e);
        }
    }

    public UserState Current(UnixAccount account) => Decide(account).State;

    /// <summary>
    /// One user's state: no delivery may be handed the old root after the state says migrating and
    /// files start to move, and the auth cache flush that follows must not be undone by a lookup of
    /// the old version.
    /// </summary>
    public void Set(string user, UserState state) =>
        Write(change => change.SetState(user, state, $"{UtcTimestamp.Now()} imaproot"));

    /// <summary>A batch's users, all in one write.</summary>
    public void Set(IReadOnlyList<(string User, UserState State)> changes) =>
        Write(change => change.SetStates(changes, $"{UtcTimestamp.Now()} imaproot batch"));

    // One change under the store's lock; returns once Dovecot serves what was written.
    private void Write(Action<IStateChange> change)
    {
        try
        {
            using (IStateChange writing = store.BeginChange())
            {
                change(writing);
                writing.Commit();
            }
        }
        catch (StateUnreadableException e)
        {
            throw new MigrationException(e.Message, e);
        }
        store.WaitUntilServed();
    }
}
