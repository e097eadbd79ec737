using Mono.Unix.Native;

namespace DovecotRootHelper.Posix;

/// <summary>The account database walked in order (getpwent(3)), for checks that need some account the state file does not name.</summary>
public static class AccountDatabase
{
    /// <summary>The first account <paramref name="wanted"/> accepts, or null; the walk stops there.</summary>
    public static UnixAccount? First(Func<UnixAccount, bool> wanted)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        Syscall.setpwent();
        try
        {
            while (Syscall.getpwent() is { } entry)
            {
                var account = new UnixAccount(entry.pw_name, entry.pw_uid, entry.pw_gid, entry.pw_dir);
                if (wanted(account))
                    return account;
            }
            return null;
        }
        finally
        {
            Syscall.endpwent();
        }
    }
}
