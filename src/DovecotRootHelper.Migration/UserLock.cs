using DovecotRootHelper.State;

namespace DovecotRootHelper.Migration;

/// <summary>One imaproot at a time per user, site-wide, for the whole operation (kick, moves, state): the state store's user lock.</summary>
internal static class UserLock
{
    public static IDisposable Take(IStateStore store, string user)
    {
        // A few tries: a child forked by another thread of this process (a doveadm command) shares
        // a lock file's descriptor, and so the lock, for the instant before its exec closes it.
        for (int attempt = 0; ; attempt++)
        {
            if (store.TryLockUser(user) is { } held)
                return held;
            if (attempt == 20)
                throw new MigrationException($"{user}: another imaproot is working on this user ({store.HeldLock(user)})");
            Thread.Sleep(100);
        }
    }
}
