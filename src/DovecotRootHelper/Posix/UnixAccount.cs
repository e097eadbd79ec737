using Mono.Unix.Native;

namespace DovecotRootHelper.Posix;

/// <summary>A Unix account as getpwnam(3) reports it.</summary>
public sealed record UnixAccount(string Name, uint Uid, uint Gid, string Home)
{
    /// <summary>The account, or null when there is none by that name.</summary>
    public static UnixAccount? Find(string name)
    {
        Passwd? entry = Syscall.getpwnam(name);
        return entry is null ? null : new UnixAccount(entry.pw_name, entry.pw_uid, entry.pw_gid, entry.pw_dir);
    }
}
