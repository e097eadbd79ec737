namespace DovecotRootHelper.Configuration;

/// <summary>How the post-login hook hands the login back to Dovecot (<c>[dovecot] post-login-finish</c>).</summary>
public enum PostLoginFinish
{
    /// <summary>
    /// When the next program is Dovecot 2.3's own script-login, do its last step in process (send the
    /// userdb reply and the client's socket to imap over fd 3) and save one exec a login; otherwise exec.
    /// </summary>
    Auto,

    /// <summary>Always exec the rest of argv, as a shell post-login script does.</summary>
    Exec,
}
