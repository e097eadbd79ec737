using Mono.Unix.Native;

namespace DovecotRootHelper.Posix;

/// <summary>
/// The account database did not answer (getpwnam_r returned an error): whether the account
/// exists is not known, so nothing may be decided as if it did not.
/// </summary>
public sealed class AccountLookupException(string user, Errno errno)
    : IOException($"getpwnam_r {user}: {PosixError.Describe(errno)}: the account database did not answer")
{
    public string User { get; } = user;

    public Errno Errno { get; } = errno;
}
