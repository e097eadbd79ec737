namespace DovecotRootHelper.Posix;

/// <summary>A Unix account as getpwnam_r(3) reports it.</summary>
public sealed record UnixAccount(string Name, uint Uid, uint Gid, string Home)
{
    /// <summary>
    /// The account, or null when the account database says there is none by that name; throws
    /// <see cref="AccountLookupException"/> when it could not answer.
    /// </summary>
    public static UnixAccount? Find(string name) => Sys.FindAccount(name);
}
