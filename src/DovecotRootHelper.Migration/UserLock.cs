using DovecotRootHelper.Posix;

namespace DovecotRootHelper.Migration;

/// <summary>One imaproot at a time per user, for the whole operation (kick, moves, state): a lock file beside the journals.</summary>
internal static class UserLock
{
    public static FileDescriptor Take(string journalDirectory, string user)
    {
        // The lock lives beside the journals and is opened as root: the same directory rule.
        Journal.EnsureDirectory(journalDirectory);
        string path = Path.Combine(journalDirectory, user + ".lock");
        FileDescriptor fd = Sys.OpenLockFile(path, FileModes.UserReadWrite);
        // A few tries: a child forked by another thread of this process (a doveadm command) shares
        // the descriptor, and so the lock, for the instant before its exec closes it.
        for (int attempt = 0; !Sys.TryLockExclusive(fd, path); attempt++)
        {
            if (attempt == 20)
            {
                fd.Dispose();
                throw new MigrationException($"{user}: another imaproot is working on this user ({path} is locked)");
            }
            Thread.Sleep(100);
        }
        return fd;
    }
}
