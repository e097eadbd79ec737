namespace DovecotRootHelper.Cli.Tests;

/// <summary>
/// <c>imaproot check</c> with <c>[state] backend = postgresql</c> against a real PostgreSQL (a private
/// cluster): a database that cannot be reached, that holds no schema, or whose row for Dovecot's sql
/// userdb is missing or stale is a problem (exit 4) saying what to run; users are counted and a
/// migrating one is a note; nothing of the state file is read or reported. Dovecot is not asked here
/// (<c>doveconf =</c>): the live tests (MigrationIntoThePgsqlUserdb) do that.
/// </summary>
public sealed class CheckReadsTheStateDatabase : IDisposable
{
    private readonly PrivatePostgres _postgres = PrivatePostgres.Start();
    private readonly TempDirectory _dir = new();

    [Fact]
    public void ACurrentDatabaseIsCountedAndItsMigratingUserNoted()
    {
        string database = _postgres.CreateDatabase("current");
        string config = Config(database);
        Assert.Equal(0, Run(config, "db", "init").ExitCode);
        Assert.Equal(0, Run(config, "set", "--yes", "alice", "migrated").ExitCode);
        _postgres.Query("INSERT INTO imaproot.user_state (user_name, state, file_order) VALUES ('bob', 'migrating', 2)", database);

        CliRun check = Run(config, "check");

        Assert.Equal(0, check.ExitCode);
        string[] lines = check.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains($"warning: {config}: [dovecot] doveconf is empty: whether Dovecot follows the PostgreSQL database is not checked", lines);
        Assert.Contains("note: bob is migrating (imaproot.user_state): logins refused until imaproot resume bob or imaproot resume --rollback bob", lines);
        Assert.Equal($"checked with 2 warning(s), not ok: {config}, the PostgreSQL database current on {_postgres.SocketDirectory}:5432 as postgres (2 user(s))", lines[^1]);
        Assert.DoesNotContain(lines, l => l.StartsWith("index:", StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(_dir.Path, "state")), "check made a state file");
    }

    [Fact]
    public void AServerThatIsDownIsAProblemNotAWarning()
    {
        string config = Config(_postgres.CreateDatabase("down"));
        _postgres.Stop();

        CliRun check = Run(config, "check");

        Assert.Equal(4, check.ExitCode);
        Assert.StartsWith($"{_dir.Path}/pgconn: cannot connect to the database down on {_postgres.SocketDirectory}:5432 as postgres: ", check.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("ok", check.Stdout, StringComparison.Ordinal);
        Assert.Equal("imaproot: 1 problem(s) found\n", check.Stderr);
    }

    [Fact]
    public void NoSchemaSaysRunDbInit()
    {
        string config = Config(_postgres.CreateDatabase("empty"));

        CliRun check = Run(config, "check");

        Assert.Equal(4, check.ExitCode);
        Assert.StartsWith($"{_dir.Path}/pgconn: the database empty on {_postgres.SocketDirectory}:5432 as postgres holds no imaproot schema: run imaproot db init\n", check.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void AStaleOrMissingDovecotRowSaysRunDbUpgrade()
    {
        string database = _postgres.CreateDatabase("stale");
        string config = Config(database);
        Assert.Equal(0, Run(config, "db", "init").ExitCode);
        Assert.Equal(0, Run(config, "check").ExitCode);

        // [locations] migrated changed, no db upgrade: Dovecot would hand out the old root.
        File.WriteAllText(config, File.ReadAllText(config).Replace("mbox:~/IMAP:", "mbox:~/Mail:", StringComparison.Ordinal));
        CliRun stale = Run(config, "check");
        Assert.Equal(4, stale.ExitCode);
        Assert.StartsWith(
            $"{_dir.Path}/pgconn: the database stale on {_postgres.SocketDirectory}:5432 as postgres: the database's Dovecot settings differ from the config "
            + "(migrated_fields 'mail=mbox:~/IMAP:INBOX=/var/mail/%{user}' in the database, 'mail=mbox:~/Mail:INBOX=/var/mail/%{user}' from the config): run imaproot db upgrade\n",
            stale.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, Run(config, "db", "upgrade").ExitCode);
        Assert.Equal(0, Run(config, "check").ExitCode);

        _postgres.Query("DELETE FROM imaproot.dovecot_userdb", database);
        CliRun empty = Run(config, "check");
        Assert.Equal(4, empty.ExitCode);
        Assert.Contains("imaproot.dovecot_userdb is empty, so Dovecot's sql userdb refuses every user for now: run imaproot db upgrade", empty.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void ATargetMissingOrDifferentInTheDatabaseSaysRunDbUpgrade()
    {
        string database = _postgres.CreateDatabase("targets");
        string config = Config(database);
        Assert.Equal(0, Run(config, "db", "init").ExitCode);
        string where = $"{_dir.Path}/pgconn: the database targets on {_postgres.SocketDirectory}:5432 as postgres: the database's Dovecot settings differ from the config";

        // A target added to [locations], no db upgrade: Dovecot would refuse its users.
        File.WriteAllText(config, File.ReadAllText(config).Replace("[locations]\n", "[locations]\nmaildir = maildir:~/Maildir:LAYOUT=fs\n", StringComparison.Ordinal));
        CliRun missing = Run(config, "check");
        Assert.Equal(4, missing.ExitCode);
        Assert.StartsWith($"{where} (target_location maildir unset in the database, 'mail=maildir:~/Maildir:LAYOUT=fs' from the config): run imaproot db upgrade\n", missing.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, Run(config, "db", "upgrade").ExitCode);
        Assert.Equal("maildir|mail=maildir:~/Maildir:LAYOUT=fs", _postgres.Query("SELECT name, fields FROM imaproot.target_location", database).Trim());
        _postgres.Query("INSERT INTO imaproot.user_state (user_name, state, file_order) VALUES ('alice', 'maildir', 1)", database);
        CliRun current = Run(config, "check");
        Assert.Equal(0, current.ExitCode);
        Assert.EndsWith("(1 user(s))\n", current.Stdout, StringComparison.Ordinal);

        // Changed in the config, or gone from it: both differ until db upgrade.
        File.WriteAllText(config, File.ReadAllText(config).Replace("~/Maildir:LAYOUT=fs", "~/Mail", StringComparison.Ordinal));
        Assert.StartsWith($"{where} (target_location maildir 'mail=maildir:~/Maildir:LAYOUT=fs' in the database, 'mail=maildir:~/Mail' from the config): run imaproot db upgrade\n",
            Run(config, "check").Stdout, StringComparison.Ordinal);
        File.WriteAllText(config, File.ReadAllText(config).Replace("maildir = maildir:~/Mail\n", "", StringComparison.Ordinal));
        CliRun gone = Run(config, "check");
        Assert.Equal(4, gone.ExitCode);
        Assert.StartsWith($"{where} (target_location maildir 'mail=maildir:~/Maildir:LAYOUT=fs' in the database, unset from the config): run imaproot db upgrade\n", gone.Stdout, StringComparison.Ordinal);
        // alice's row names a target this config lacks: one line naming her and it.
        Assert.True(gone.Stdout.Contains($"{_dir.Path}/pgconn: the database targets on {_postgres.SocketDirectory}:5432 as postgres: imaproot.user_state lists alice as 'maildir': expected legacy, migrated or migrating\n", StringComparison.Ordinal), gone.Stdout);
    }

    [Fact]
    public void ANamedDovecotRoleOutsideTheGroupIsAProblem()
    {
        string database = _postgres.CreateDatabase("role");
        _postgres.Query("CREATE ROLE drh_auth LOGIN", "postgres");
        string config = Config(database);
        File.WriteAllText(config, File.ReadAllText(config).Replace("[postgresql]\n", "[postgresql]\ndovecot-role = drh_auth\n", StringComparison.Ordinal));
        Assert.Equal(0, Run(config, "db", "init").ExitCode);
        Assert.Equal(0, Run(config, "check").ExitCode);

        _postgres.Query("REVOKE imaproot_dovecot FROM drh_auth", database);
        CliRun check = Run(config, "check");

        Assert.Equal(4, check.ExitCode);
        Assert.Contains($"{_dir.Path}/pgconn: the database role on {_postgres.SocketDirectory}:5432 as postgres: [postgresql] dovecot-role drh_auth is not a member of imaproot_dovecot, so every lookup Dovecot's sql userdb makes fails (permission denied): run imaproot db upgrade\n", check.Stdout, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _postgres.Dispose();
        _dir.Dispose();
    }

    // Dovecot not asked: its checks are the live tests'.
    private string Config(string database)
    {
        string conninfo = _dir.Write("pgconn", _postgres.Conninfo(database), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return _dir.Write("imaproot.conf", "[dovecot]\nversion = 2.3\ndoveconf =\n\n"
            + $"[locations]\nlegacy = mbox:~:INBOX=/var/mail/%u\nmigrated = mbox:~/IMAP:INBOX=/var/mail/%u\n\n"
            + $"[state]\nbackend = postgresql\nfile = {_dir.Path}/state\n\n[postgresql]\nconninfo-file = {conninfo}\n\n"
            + $"[migration]\njournal-dir = {_dir.Path}/journal\n");
    }

    private static CliRun Run(string config, params string[] arguments) => InProcessImaproot.Run(config, _ => null, arguments);
}
