using DovecotRootHelper.Configuration;
using DovecotRootHelper.Decision;
using DovecotRootHelper.Dovecot;
using DovecotRootHelper.Locations;
using DovecotRootHelper.Posix;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Migration;

/// <summary>
/// The users' states in the state file, as a migration reads and writes them: read as the login
/// hook decides, written under the state file's lock, and with the all-services userdb not
/// returned from until Dovecot serves what was written.
/// </summary>
internal sealed class UserStates(HelperConfig config)
{
    /// <summary>The account's state and root, as the login hook would decide them.</summary>
    public RootDecision Decide(UnixAccount account)
    {
        StateEntry? entry = null;
        if (Sys.LinkStatusOrNull(config.StateFile) is not null)
        {
            StateFileContents contents = StateFileReader.ReadAll(config.StateFile);
            if (!contents.IsValid)
                throw new MigrationException($"{config.StateFile}: {contents.Problems[0].Message}");
            entry = contents.Find(account.Name);
        }
        try
        {
            return RootDecision.Decide(config, account.Name, account.Home, account.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture), entry);
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
        Write(writer => writer.SetState(user, state, $"{UtcTimestamp.Now()} imaproot"));

    /// <summary>A batch's users, all in one write.</summary>
    public void Set(IReadOnlyList<(string User, UserState State)> changes) =>
        Write(writer => writer.SetStates(changes, $"{UtcTimestamp.Now()} imaproot batch"));

    // One write of the state file (and its userdb) under its lock; returns once Dovecot serves the userdb written.
    private void Write(Action<StateFileWriter> change)
    {
        UserdbOverlay? userdb = UserdbOverlay.For(config);
        using (StateFileWriter writer = StateFileWriter.Lock(config.StateFile, userdb))
            change(writer);
        userdb?.WaitUntilDovecotSees();
    }
}
