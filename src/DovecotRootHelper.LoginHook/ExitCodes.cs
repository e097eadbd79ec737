namespace DovecotRootHelper.LoginHook;

/// <summary>Every status the hook exits with, and who reads it (see the README).</summary>
internal static class ExitCodes
{
    /// <summary>Done; also a post-login refusal: Dovecot refuses the login because nothing was exec'd and logs any non-zero status as "Fatal: ... returned error N", which would page people for a login refused on purpose.</summary>
    public const int Ok = 0;

    /// <summary>The post-login service cannot run (not started by a Dovecot master it knows, or a descriptor failed).</summary>
    public const int ServiceFailed = 1;

    /// <summary>checkpassword userdb lookup: the account database says there is no such user (never when it could not answer).</summary>
    public const int UnknownUser = 3;

    /// <summary>Not a Dovecot invocation (EX_USAGE).</summary>
    public const int Usage = 64;

    /// <summary>checkpassword: a temporary failure (the user is being migrated, the account database did not answer, or nothing could be decided).</summary>
    public const int TemporaryFailure = 111;
}
