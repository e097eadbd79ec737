namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>
/// One of <see cref="TwoPgsqlHosts"/>: a mail server that is also an admin host. A private Dovecot
/// on ports and a base directory of its own, with the shipped pgsql all-services snippet and
/// doveadm's TCP listener; beside it imaproot's config for this host: the state in PostgreSQL
/// (<c>[state] backend = postgresql</c>), a connection file of its own, its doveconf and user lookup
/// against its own Dovecot. The first host creates the database (as <c>imaproot db init</c>) and
/// owns the homes and the spool; the second reaches the spool through a symlink (shared storage)
/// and the first's database, with the same <c>[locations]</c> (the table's row says them for both).
/// </summary>
public sealed class PgsqlMailHost : DovecotSandbox, IDisposable
{
    private readonly PgsqlUserdbDatabase? _ownDatabase;

    public PgsqlMailHost(DovecotGeneration generation, string doveadmPassword, PgsqlMailHost? sharing)
        : base("", generation, runsTheHook: false)
    {
        try
        {
            string conninfo = Path.Combine(Etc, "imaproot.pgconn");
            if (sharing is null)
            {
                WriteHelperConfig();
                string config = File.ReadAllText(ConfigPath);
                if (!config.Contains("[state]\n", StringComparison.Ordinal))
                    throw new InvalidOperationException($"{ConfigPath} has no [state] section");
                File.WriteAllText(ConfigPath, config.Replace("[state]\n", "[state]\nbackend = postgresql\n", StringComparison.Ordinal)
                    + $"\n[postgresql]\nconninfo-file = {conninfo}\n");
                _ownDatabase = new PgsqlUserdbDatabase(ConfigPath, conninfo);
                Database = _ownDatabase;
            }
            else
            {
                Database = sharing.Database;
                File.Copy(sharing.ConninfoFile, conninfo);
                File.SetUnixFileMode(conninfo, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                File.WriteAllLines(ConfigPath, File.ReadLines(sharing.ConfigPath).Select(line =>
                    line.StartsWith("doveconf = ", StringComparison.Ordinal) || line.StartsWith("user-lookup = ", StringComparison.Ordinal)
                        ? line.Replace(sharing.DovecotDirectory, DovecotDirectory, StringComparison.Ordinal)
                        : line.StartsWith("conninfo-file = ", StringComparison.Ordinal) ? $"conninfo-file = {conninfo}" : line));
                Directory.CreateDirectory(DovecotDirectory);
                Directory.CreateSymbolicLink(Spool, sharing.Spool);
            }
            ConninfoFile = conninfo;
            File.WriteAllText(PasswordFile, doveadmPassword + "\n");
            File.SetUnixFileMode(PasswordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            string snippet = InstallPgsqlSnippet(Database, Path.Combine(Etc, "dovecot-root-helper-pgsql.conf.ext"));
            Start(new Dictionary<string, string>
            {
                ["PASSWD_FILE"] = "passdb",
                ["PASSDB_RESULT_SUCCESS"] = "continue-ok",
                ["DOVEADM_PASSWORD"] = doveadmPassword,
            }, snippet);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The one database both hosts' imaproot and both Dovecots use.</summary>
    public PgsqlUserdbDatabase Database { get; } = null!;

    /// <summary>This host's <c>[postgresql] conninfo-file</c>.</summary>
    public string ConninfoFile { get; } = "";

    /// <summary>This host's <c>[migration] doveadm-password-file</c>.</summary>
    public string PasswordFile => Path.Combine(Etc, "doveadm-password");

    public string Spool => Path.Combine(DovecotDirectory, "spool");

    /// <summary>Its doveadm listener as <c>[migration] doveadm-servers</c> names it.</summary>
    public string DoveadmServer => $"127.0.0.1:{DoveadmPort}";

    /// <summary>The published imaproot with this host's config.</summary>
    public ImaprootRun Imaproot(params string[] arguments) => Infrastructure.Imaproot.Run(ConfigPath, arguments);

    /// <summary>Appends the <c>[migration]</c> section: kick, who and flush over the doveadm protocol on <paramref name="servers"/>.</summary>
    public void AppendDoveadmMigrationSection(string journalDirectory, IEnumerable<string> servers) =>
        File.AppendAllText(ConfigPath, $"""

            [migration]
            journal-dir = {journalDirectory}
            doveadm-servers = {string.Join(' ', servers)}
            doveadm-password-file = {PasswordFile}
            kick-timeout = 30

            """);

    /// <summary>A real Unix account with its home (on the shared storage) and its passdb line here; removed when this host is disposed.</summary>
    public TestUser Account(string name, int uid, string home)
    {
        TestUser user = UnixAccount(name, uid, home);
        AddUser(user.Name, user.Uid, user.Home);
        return user;
    }

    /// <summary>Gives an account of the other host a passdb line here.</summary>
    public void Add(TestUser user) => AddUser(user.Name, user.Uid, user.Home);

    /// <summary>Stops Dovecot, then PostgreSQL if this host started it.</summary>
    public new void Dispose()
    {
        try
        {
            base.Dispose();
        }
        finally
        {
            _ownDatabase?.Dispose();
        }
        GC.SuppressFinalize(this);
    }
}
