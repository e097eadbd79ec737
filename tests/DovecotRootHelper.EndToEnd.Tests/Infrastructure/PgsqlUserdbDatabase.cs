using DovecotRootHelper.Configuration;
using DovecotRootHelper.PostgreSql;

namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The PostgreSQL the pgsql userdb reads: a private cluster (<see cref="PrivatePostgres"/>: Debian's 15,
/// a Unix socket under /tmp, which the 2.4 trees share, no TCP) holding imaproot's own schema, set up
/// as <c>imaproot db init</c> does (<see cref="StateSchema.Init"/> with the row
/// <see cref="DovecotRootHelper.Dovecot.SqlUserdbSettings.From"/> derives from imaproot's config),
/// and the login role Dovecot uses, a member of <c>imaproot_dovecot</c>. The rows of
/// <c>imaproot.user_state</c> are written here, as imaproot will write them.
/// </summary>
public sealed class PgsqlUserdbDatabase : IDisposable
{
    /// <summary>The role Dovecot connects as: it may execute the schema's two functions and nothing else.</summary>
    public const string DovecotRole = "dovecot_userdb";

    /// <summary>The database holding imaproot's schema.</summary>
    public const string Name = "imaproot";

    private readonly PrivatePostgres _postgres;

    /// <param name="configPath">imaproot's config, whose <c>[postgresql] conninfo-file</c> is <paramref name="conninfoPath"/>.</param>
    /// <param name="conninfoPath">Where imaproot's connection file is written (root's, 0600, in a trusted directory).</param>
    public PgsqlUserdbDatabase(string configPath, string conninfoPath)
    {
        _postgres = PrivatePostgres.Start();
        try
        {
            _postgres.CreateDatabase(Name);
            File.WriteAllText(conninfoPath, _postgres.Conninfo(Name));
            File.SetUnixFileMode(conninfoPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            // What imaproot db init does: the config read and checked, the schema created, Dovecot's row written from it.
            HelperConfig config = HelperConfig.Load(configPath);
            using (var database = new StateDatabase(ConninfoFile.Load(config.PostgresqlConninfoFile
                ?? throw new InvalidOperationException($"{configPath}: no [postgresql] conninfo-file"))))
                StateSchema.Init(database, DovecotRootHelper.Dovecot.SqlUserdbSettings.From(config));
            DovecotPassword = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
            Query($"CREATE ROLE {DovecotRole} LOGIN PASSWORD '{DovecotPassword}' IN ROLE imaproot_dovecot");
        }
        catch
        {
            _postgres.Dispose();
            throw;
        }
    }

    /// <summary>The socket's directory: libpq's <c>host</c>.</summary>
    public string SocketDirectory => _postgres.SocketDirectory;

    /// <summary><see cref="DovecotRole"/>'s password, fresh for each cluster.</summary>
    public string DovecotPassword { get; } = "";

    /// <summary>Starts the server again after <see cref="Stop"/> and waits until it accepts connections.</summary>
    public void Start() => _postgres.StartServer();

    /// <summary>Stops the server (fast: sessions are ended); <see cref="Start"/> brings it back.</summary>
    public void Stop() => _postgres.Stop();

    /// <summary>Lists <paramref name="user"/> in <paramref name="state"/> (at the end of the state file's order), or takes the user off the table when null.</summary>
    public void SetState(string user, string? state) =>
        Query(state is null
            ? $"DELETE FROM imaproot.user_state WHERE user_name = {Literal(user)}"
            : "INSERT INTO imaproot.user_state (user_name, state, file_order) "
                + $"VALUES ({Literal(user)}, {Literal(state)}, (SELECT COALESCE(max(file_order), 0) + 1 FROM imaproot.user_state)) "
                + "ON CONFLICT (user_name) DO UPDATE SET state = EXCLUDED.state, file_line = NULL");

    /// <summary>Runs <paramref name="sql"/> as the superuser in <see cref="Name"/>; psql's unaligned, tuples-only output.</summary>
    public string Query(string sql) => _postgres.Query(sql, Name);

    public void Dispose() => _postgres.Dispose();

    private static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
