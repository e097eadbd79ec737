namespace DovecotRootHelper.Cli.Tests;

/// <summary><c>imaproot db init</c>, <c>db upgrade</c> and <c>db status</c> against a real PostgreSQL (a private cluster): what they print, and their exit codes.</summary>
public sealed class DbCommandsManageTheSchema : IDisposable
{
    private readonly PrivatePostgres _postgres = PrivatePostgres.Start();
    private readonly TempDirectory _dir = new();

    [Fact]
    public void InitCreatesThenFindsTheSchemaCurrent()
    {
        string config = Config(_postgres.CreateDatabase("init"));

        CliRun first = Run(config, "db", "init");
        CliRun second = Run(config, "db", "init");
        CliRun upgrade = Run(config, "db", "upgrade");

        Assert.Equal((0, "schema: version 6 created\n", ""), (first.ExitCode, first.Stdout, first.Stderr));
        Assert.Equal((0, "schema: version 6, current (nothing to do)\n", ""), (second.ExitCode, second.Stdout, second.Stderr));
        Assert.Equal((0, "schema: version 6, current (nothing to do)\n", ""), (upgrade.ExitCode, upgrade.Stdout, upgrade.Stderr));
    }

    [Fact]
    public void UpgradeFromNothingCreatesTheSchema()
    {
        string database = _postgres.CreateDatabase("upgrade");
        CliRun run = Run(Config(database), "db", "upgrade");
        Assert.Equal((0, "schema: version 6 created\n"), (run.ExitCode, run.Stdout));
        Assert.Equal("6", _postgres.Query("SELECT version FROM imaproot.schema_version", database).Trim());
    }

    [Fact]
    public void ASchemaFromTheFutureIsExit4InOneLine()
    {
        string database = _postgres.CreateDatabase("future");
        string config = Config(database);
        Assert.Equal(0, Run(config, "db", "init").ExitCode);
        _postgres.Query("UPDATE imaproot.schema_version SET version = 7", database);

        CliRun run = Run(config, "db", "upgrade");

        Assert.Equal(4, run.ExitCode);
        run.AssertOneErrorLine($"imaproot: {_dir.Path}/pgconn: the database future on {_postgres.SocketDirectory}:5432 as postgres holds imaproot schema version 7, newer than this imaproot knows (6): nothing was done; use the imaproot that wrote it, or a newer one");
        Assert.Equal("7", _postgres.Query("SELECT version FROM imaproot.schema_version", database).Trim());
    }

    [Fact]
    public void EachRunWritesDovecotsRowFromTheConfig()
    {
        string database = _postgres.CreateDatabase("dovecot");
        string conninfo = _dir.Write("pgconn", _postgres.Conninfo(database), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        string config = _dir.Write("imaproot.conf", "[dovecot]\nversion = 2.4\n\n[state]\nfile = /nonexistent/state\ndefault = legacy\nmigrated-from-uid = 5000\n\n"
            + $"[locations]\nmigrated = mbox:~/IMAP:INBOX=/var/mail/%u\n\n[postgresql]\nconninfo-file = {conninfo}\n");
        const string Row = "SELECT default_state, migrated_from_uid, legacy_fields IS NULL, migrated_fields, migrating_reason FROM imaproot.dovecot_userdb";

        Assert.Equal(0, Run(config, "db", "init").ExitCode);
        // 2.4: every location setting (the file design's fields), variables in the schema's spelling.
        string row = _postgres.Query(Row, database).Trim();
        Assert.StartsWith("legacy|5000|t|mail_driver=mbox\tmail_path=~/IMAP\tmail_inbox_path=/var/mail/%{user}\tmail_index_path=\t", row, StringComparison.Ordinal);
        Assert.EndsWith("\tmailbox_list_utf8=no|Mailboxes are being moved, please try again in a few minutes", row, StringComparison.Ordinal);

        // A changed config counts at the next db upgrade (or init), even with the schema current.
        _dir.Write("imaproot.conf", "[dovecot]\nversion = 2.3\n\n[state]\nfile = /nonexistent/state\ndefault = migrated\n\n"
            + $"[locations]\nlegacy = maildir:~/Maildir\nmigrated = maildir:~/IMAP:LAYOUT=fs\n\n[postgresql]\nconninfo-file = {conninfo}\n");
        CliRun upgrade = Run(config, "db", "upgrade");
        Assert.Equal((0, "schema: version 6, current (nothing to do)\n"), (upgrade.ExitCode, upgrade.Stdout));
        Assert.Equal("migrated||f|mail=maildir:~/IMAP:LAYOUT=fs|Mailboxes are being moved, please try again in a few minutes", _postgres.Query(Row, database).Trim());
        Assert.Equal("mail=maildir:~/Maildir", _postgres.Query("SELECT legacy_fields FROM imaproot.dovecot_userdb", database).Trim());
    }

    [Fact]
    public void NoConninfoFileSettingIsExit4()
    {
        string config = _dir.Write("imaproot.conf", "[state]\nfile = /nonexistent/state\n");
        CliRun run = Run(config, "db", "init");
        Assert.Equal(4, run.ExitCode);
        run.AssertOneErrorLine($"imaproot: {config}: [postgresql] conninfo-file is not set: imaproot db needs the file saying how to reach the database");
    }

    [Fact]
    public void ABadConninfoLineIsExit4NamingFileAndLine()
    {
        string config = Config("whatever");
        _dir.Write("pgconn", "dbname = d\nuser = u\nport = five\n", UnixFileMode.UserRead | UnixFileMode.UserWrite);
        CliRun run = Run(config, "db", "init");
        Assert.Equal(4, run.ExitCode);
        run.AssertOneErrorLine($"imaproot: {_dir.Path}/pgconn:3: port = five: expected a port number, 1 to 65535");
    }

    [Fact]
    public void AServerThatIsDownIsExit1NamingTheServer()
    {
        string config = Config(_postgres.CreateDatabase("down"));
        _postgres.Stop();
        CliRun run = Run(config, "db", "init");
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith($"imaproot: {_dir.Path}/pgconn: cannot connect to the database down on {_postgres.SocketDirectory}:5432 as postgres: ", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownVerbIsAUsageError()
    {
        CliRun run = Run(Config("x"), "db", "drop");
        Assert.Equal(2, run.ExitCode);
        run.AssertOneErrorLine("imaproot: usage: imaproot db init | db upgrade | db status");
    }

    [Fact]
    public void StatusSaysWhatIsThereAndWhatToRun()
    {
        string database = _postgres.CreateDatabase("status");
        string config = Config(database);
        string where = $"database: the database status on {_postgres.SocketDirectory}:5432 as postgres\n";

        CliRun empty = Run(config, "db", "status");
        Assert.Equal((4, where + "schema: none\ndovecot: not read (the schema is not this imaproot's)\nto do: imaproot db init\n", ""), (empty.ExitCode, empty.Stdout, empty.Stderr));

        Assert.Equal(0, Run(config, "db", "init").ExitCode);
        _postgres.Query("INSERT INTO imaproot.user_state (user_name, state, file_order) VALUES ('alice', 'migrated', 1), ('bob', 'legacy', 2), ('carol', 'migrated', 3)", database);
        _postgres.Query("INSERT INTO imaproot.schedule (user_name, due_at, notify) VALUES ('bob', now(), false)", database);
        CliRun current = Run(config, "db", "status");
        Assert.Equal((0, where + "schema: version 6, current\ndovecot: the rows Dovecot's sql userdb reads match the config\nusers: 3 (legacy 1, migrated 2)\nschedule: 1 migration(s) scheduled\n"
            + "dovecot role: not named ([postgresql] dovecot-role): whether Dovecot's role is a member of imaproot_dovecot is not checked\n"),
            (current.ExitCode, current.Stdout));

        // A config changed since db init: the rows Dovecot reads are stale until db upgrade.
        File.AppendAllText(config, "\n[locations]\nmigrated = mbox:~/Mail:INBOX=/var/mail/%u\n");
        CliRun stale = Run(config, "db", "status");
        Assert.Equal(4, stale.ExitCode);
        Assert.Contains("dovecot: the rows Dovecot's sql userdb reads differ from the config (migrated_fields ", stale.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("to do: imaproot db upgrade\n", stale.Stdout, StringComparison.Ordinal);

        using System.Text.Json.JsonDocument json = System.Text.Json.JsonDocument.Parse(Run(config, "db", "status", "--json").Stdout);
        System.Text.Json.JsonElement report = json.RootElement;
        Assert.Equal((6, "current", "differ", "imaproot db upgrade"), (report.GetProperty("schemaVersion").GetInt32(), report.GetProperty("schema").GetString(), report.GetProperty("dovecotRows").GetString(), report.GetProperty("action").GetString()));
        Assert.Equal(2, report.GetProperty("users").GetProperty("migrated").GetInt64());
        Assert.Equal(1, report.GetProperty("scheduled").GetInt64());

        _postgres.Query("UPDATE imaproot.schema_version SET version = 7", database);
        CliRun future = Run(config, "db", "status");
        Assert.Equal(4, future.ExitCode);
        Assert.Contains("schema: version 7, newer than this imaproot knows (6): use the imaproot that wrote it, or a newer one\n", future.Stdout, StringComparison.Ordinal);
        Assert.Equal("7", _postgres.Query("SELECT version FROM imaproot.schema_version", database).Trim());
    }

    [Fact]
    public void TheNamedDovecotRoleIsMadeAMemberAndMayCallTheFunctions()
    {
        string database = _postgres.CreateDatabase("role");
        _postgres.Query("CREATE ROLE drh_dovecot LOGIN", "postgres");
        string config = Config(database);
        File.AppendAllText(config, "dovecot-role = drh_dovecot\n");

        CliRun init = Run(config, "db", "init");
        Assert.Equal((0, "schema: version 6 created\ndovecot role: drh_dovecot made a member of imaproot_dovecot\n", ""), (init.ExitCode, init.Stdout, init.Stderr));
        CliRun again = Run(config, "db", "upgrade");
        Assert.Equal((0, "schema: version 6, current (nothing to do)\ndovecot role: drh_dovecot is a member of imaproot_dovecot\n"), (again.ExitCode, again.Stdout));
        // What Dovecot's sql userdb does as that role: the function answers (one row), and fails once the role is revoked.
        const string Lookup = "SET ROLE drh_dovecot; SELECT count(*) FROM imaproot.userdb('someone', '1000', '/home/someone')";
        Assert.Equal("1", _postgres.Query(Lookup, database).Trim());
        Assert.Contains("dovecot role: drh_dovecot, a member of imaproot_dovecot\n", Run(config, "db", "status").Stdout, StringComparison.Ordinal);

        _postgres.Query("REVOKE imaproot_dovecot FROM drh_dovecot", database);
        Assert.Contains("permission denied", Assert.ThrowsAny<Exception>(() => _postgres.Query(Lookup, database)).Message, StringComparison.Ordinal);
        CliRun revoked = Run(config, "db", "status");
        Assert.Equal(4, revoked.ExitCode);
        Assert.Contains("dovecot role: [postgresql] dovecot-role drh_dovecot is not a member of imaproot_dovecot, so every lookup Dovecot's sql userdb makes fails (permission denied): run imaproot db upgrade\n", revoked.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("to do: imaproot db upgrade\n", revoked.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, Run(config, "db", "upgrade").ExitCode);
        Assert.Equal(0, Run(config, "db", "status").ExitCode);
    }

    [Fact]
    public void ANamedDovecotRoleThatDoesNotExistChangesNothing()
    {
        string database = _postgres.CreateDatabase("norole");
        string config = Config(database);
        File.AppendAllText(config, "dovecot-role = drh_missing\n");

        CliRun init = Run(config, "db", "init");

        Assert.Equal(1, init.ExitCode);
        init.AssertOneErrorLine($"imaproot: {_dir.Path}/pgconn: the database norole on {_postgres.SocketDirectory}:5432 as postgres: [postgresql] dovecot-role drh_missing: no such role in the cluster: create Dovecot's login role first (as postgres: CREATE ROLE drh_missing LOGIN PASSWORD '...'): nothing was changed");
        Assert.Equal("f", _postgres.Query("SELECT to_regclass('imaproot.schema_version') IS NOT NULL", database).Trim());
    }

    [Fact]
    public void StatusOfAServerThatIsDownIsExit1()
    {
        string config = Config(_postgres.CreateDatabase("status_down"));
        _postgres.Stop();
        CliRun run = Run(config, "db", "status");
        Assert.Equal((1, ""), (run.ExitCode, run.Stdout));
        Assert.StartsWith($"imaproot: {_dir.Path}/pgconn: cannot connect to the database status_down on {_postgres.SocketDirectory}:5432 as postgres: ", run.Stderr, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _postgres.Dispose();
        _dir.Dispose();
    }

    private string Config(string database)
    {
        string conninfo = _dir.Write("pgconn", _postgres.Conninfo(database), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return _dir.Write("imaproot.conf", $"[state]\nfile = /nonexistent/state\n\n[postgresql]\nconninfo-file = {conninfo}\n");
    }

    private static CliRun Run(string config, params string[] arguments) => InProcessImaproot.Run(config, _ => null, arguments);
}
