using System.Globalization;

namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A private PostgreSQL (Debian's 15: initdb and pg_ctl as the <c>postgres</c> account, a Unix socket
/// in a temporary directory under /tmp, which the 2.4 trees share, no TCP) holding the hand-made
/// stand-in for imaproot's schema (PgsqlUserdbSchema.sql), with the role Dovecot logs in as.
/// A stop-gap until imaproot's own schema and the shared cluster of DovecotRootHelper.Testing
/// (another branch's PrivatePostgres) are merged: this class then keeps only the rows.
/// </summary>
public sealed class PgsqlUserdbDatabase : IDisposable
{
    private const string BinDirectory = "/usr/lib/postgresql/15/bin";
    private const string Superuser = "postgres";

    /// <summary>The role Dovecot connects as: it may execute the schema's two functions and nothing else.</summary>
    public const string DovecotRole = "dovecot_userdb";

    private readonly string _superuserPassword = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    public PgsqlUserdbDatabase()
    {
        Root = Directory.CreateTempSubdirectory("drh-pgsql-userdb.").FullName;
        try
        {
            File.SetUnixFileMode(Root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            Directory.CreateDirectory(SocketDirectory);
            string passwordFile = Path.Combine(Root, "superuser-password");
            File.WriteAllText(passwordFile, _superuserPassword + "\n");
            Command.Run("chown", ["-R", $"{Superuser}:", Root]);
            AsPostgres("initdb", "-D", DataDirectory, "-U", Superuser, "--pwfile", passwordFile, "--auth-local=scram-sha-256",
                "--auth-host=reject", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync", "--no-instructions");
            File.Delete(passwordFile);
            Start();
            DovecotPassword = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
            Query($"CREATE ROLE {DovecotRole} LOGIN PASSWORD '{DovecotPassword}'");
            Command.Run(Path.Combine(BinDirectory, "psql"), [.. Connection, "-v", $"dovecot_role={DovecotRole}",
                "-f", Path.Combine(RepositoryLayout.Root, "tests", "DovecotRootHelper.EndToEnd.Tests", "Infrastructure", "PgsqlUserdbSchema.sql")], SuperuserEnvironment);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Root { get; }

    /// <summary>The socket's directory: libpq's <c>host</c>.</summary>
    public string SocketDirectory => Path.Combine(Root, "socket");

    private string DataDirectory => Path.Combine(Root, "data");

    /// <summary><see cref="DovecotRole"/>'s password, fresh for each cluster.</summary>
    public string DovecotPassword { get; } = "";

    /// <summary>Starts the server (again) and waits until it accepts connections.</summary>
    public void Start() =>
        AsPostgres("pg_ctl", "start", "-D", DataDirectory, "-l", Path.Combine(Root, "server.log"), "-w", "-t", "60",
            "-o", $"-k {SocketDirectory} -c listen_addresses= -c fsync=off");

    /// <summary>Stops the server (fast: sessions are ended); <see cref="Start"/> brings it back.</summary>
    public void Stop() => AsPostgres("pg_ctl", "stop", "-D", DataDirectory, "-m", "fast", "-w", "-t", "60");

    /// <summary>The one row of what Dovecot needs of imaproot's config (replaced whole).</summary>
    public void Configure(string defaultState, int? migratedFromUid, string? legacyFields, string migratedFields, string migratingReason)
    {
        string uid = migratedFromUid is int u ? u.ToString(CultureInfo.InvariantCulture) : "NULL";
        Query("BEGIN; DELETE FROM dovecot_root_helper.dovecot_userdb; "
            + "INSERT INTO dovecot_root_helper.dovecot_userdb (default_state, migrated_from_uid, legacy_fields, migrated_fields, migrating_reason) "
            + $"VALUES ({Literal(defaultState)}, {uid}, {(legacyFields is null ? "NULL" : Literal(legacyFields))}, {Literal(migratedFields)}, {Literal(migratingReason)}); COMMIT;");
    }

    /// <summary>Lists <paramref name="user"/> in <paramref name="state"/>, or takes the user off the table when null.</summary>
    public void SetState(string user, string? state) =>
        Query(state is null
            ? $"DELETE FROM dovecot_root_helper.users WHERE name = {Literal(user)}"
            : $"INSERT INTO dovecot_root_helper.users (name, state) VALUES ({Literal(user)}, {Literal(state)}) ON CONFLICT (name) DO UPDATE SET state = EXCLUDED.state");

    /// <summary>Runs <paramref name="sql"/> as the superuser; psql's unaligned, tuples-only output.</summary>
    public string Query(string sql) =>
        Command.Run(Path.Combine(BinDirectory, "psql"), [.. Connection, "-c", sql], SuperuserEnvironment);

    public void Dispose()
    {
        try
        {
            if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
                Stop();
        }
        finally
        {
            Directory.Delete(Root, recursive: true);
        }
    }

    private string[] Connection => ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", SocketDirectory, "-U", Superuser, "-d", "postgres"];

    private Dictionary<string, string> SuperuserEnvironment => new() { ["PGPASSWORD"] = _superuserPassword, ["PGCONNECT_TIMEOUT"] = "10" };

    private static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    // initdb and the server refuse to run as root. setpriv: no PAM session, only the ids change.
    private void AsPostgres(string program, params string[] arguments) =>
        Command.Run("setpriv", [$"--reuid={Superuser}", $"--regid={Superuser}", "--init-groups", "--",
            "env", "-C", Root, "LC_ALL=C.UTF-8", Path.Combine(BinDirectory, program), .. arguments]);
}
