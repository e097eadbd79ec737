namespace DovecotRootHelper.PostgreSql;

/// <summary>
/// How imaproot reaches the state database, as <see cref="ConninfoFile"/> read it: host (a name,
/// an address, or a directory holding the server's Unix socket), port, database, user, password
/// and TLS as the site configures it (libpq's sslmode; sslrootcert for verify-ca and verify-full).
/// </summary>
public sealed record ConnectionSettings(
    string Host,
    int Port,
    string Database,
    string User,
    string? Password,
    string SslMode,
    string? SslRootCert)
{
    /// <summary>libpq's target_session_attrs: which of several hosts to use (<c>read-write</c>: the primary after a failover).</summary>
    public string TargetSessionAttributes { get; init; } = "any";

    /// <summary>The settings' file, for messages that name where the connection came from.</summary>
    public string Source { get; init; } = "";

    /// <summary>Where the server is, for a message: <c>DATABASE on HOST:PORT</c>, never the password.</summary>
    public string Describe() => $"database {Database} on {Host}:{Port} as {User}";
}
