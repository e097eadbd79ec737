namespace DovecotRootHelper.Cli;

/// <summary>imaproot's documented exit codes (see docs/imaproot.md and the usage text).</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>A command failed: a migration refused, conflicts in a plan, an I/O error.</summary>
    public const int Failed = 1;

    public const int Usage = 2;

    /// <summary>No Unix account by that name.</summary>
    public const int UnknownUser = 3;

    /// <summary>The config file or the state file cannot be used.</summary>
    public const int InvalidConfigOrState = 4;

    /// <summary>A journal is pending, or the user's state does not allow the change.</summary>
    public const int NotAllowedNow = 5;

    /// <summary>The account database did not answer (getpwnam_r failed, an LDAP or sssd outage): never "no such user"; nothing was changed for that user.</summary>
    public const int AccountLookupFailed = 6;
}
