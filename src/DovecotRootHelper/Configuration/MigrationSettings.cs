namespace DovecotRootHelper.Configuration;

/// <summary>
/// The [migration] section: where journals live and the commands that close a user's sessions
/// (<c>kick</c>), show whether any are left (<c>who</c>) and flush Dovecot's auth cache
/// (<c>flush</c>); <c>%u</c> in a command is the user. The commands are split on blanks and run
/// without a shell. With <see cref="DoveadmServers"/> set, kick, who and flush go to each of those
/// servers over Dovecot's doveadm protocol instead, and the commands are not run.
/// </summary>
public sealed record MigrationSettings(string JournalDirectory, string KickCommand, string WhoCommand, string FlushCommand, TimeSpan KickTimeout)
{
    /// <summary><c>doveadm-servers</c>: every server's doveadm listener; empty: the commands are run.</summary>
    public IReadOnlyList<DoveadmAddress> DoveadmServers { get; init; } = [];

    /// <summary><c>doveadm-password-file</c>: the file holding the servers' <c>doveadm_password</c>; set whenever <see cref="DoveadmServers"/> is.</summary>
    public string? DoveadmPasswordFile { get; init; }

    /// <summary>
    /// <c>doveadm-ca-file</c>: the CA certificates (PEM) the servers' doveadm certificates must chain
    /// to, in TLS (listeners with <c>ssl = yes</c>); null: plain TCP.
    /// </summary>
    public string? DoveadmCaFile { get; init; }
}
