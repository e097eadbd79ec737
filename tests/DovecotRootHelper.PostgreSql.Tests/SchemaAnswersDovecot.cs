using DovecotRootHelper.Configuration;
using DovecotRootHelper.Dovecot;
using DovecotRootHelper.State;

namespace DovecotRootHelper.PostgreSql.Tests;

/// <summary>
/// Schema version 2: the functions Dovecot's sql userdb and passdb call (packaging/dovecot/*-pgsql*.conf),
/// answering from imaproot's own tables and the row <c>db init</c>/<c>db upgrade</c> write from the
/// config; a version 1 database upgraded with its rows kept; Dovecot's role executes the two
/// functions and reads nothing. Live against a private PostgreSQL; Dovecot's own side is
/// PgsqlUserdbFollowsTheTable (end-to-end).
/// </summary>
public sealed class SchemaAnswersDovecot(Cluster cluster) : IClassFixture<Cluster>
{
    private const string Migrated23 = "mail=mbox:~/IMAP:INBOX=/var/mail/%{user}";
    private const string Legacy23 = "mail=maildir:%{home}/Maildir:INDEX=/idx/%{domain}/%{username}/%%";

    private static readonly SqlUserdbSettings ByUid = new(UserState.Legacy, 5000, Legacy23, Migrated23, SqlUserdbSettings.Reason);

    [Fact]
    public void UpgradeFromVersion1KeepsTheRowsAndAddsDovecotsSide()
    {
        using var dir = new TempDirectory();
        using StateDatabase database = cluster.Open(dir, out string name);
        // A database as version 1 left it, with a listed user.
        cluster.Postgres.Query(StateSchema.Steps[0], name);
        cluster.Postgres.Query("INSERT INTO imaproot.user_state VALUES ('alice', 'migrated', 'moved', 1, E'alice\\tmigrated\\tmoved'); "
            + "INSERT INTO imaproot.schedule VALUES ('bob', '2026-12-24 10:00Z', true)", name);
        Assert.Equal("1", cluster.Postgres.Query("SELECT version FROM imaproot.schema_version", name).Trim());
        Assert.Equal("", cluster.Postgres.Query("SELECT to_regprocedure('imaproot.userdb(text,text,text)')", name).Trim());

        Assert.Equal(new SchemaChange(1, StateSchema.Current), StateSchema.Upgrade(database, ByUid));

        Assert.Equal($"{StateSchema.Current}", cluster.Postgres.Query("SELECT version FROM imaproot.schema_version", name).Trim());
        Assert.Equal("alice|migrated|moved|1|alice\tmigrated\tmoved", cluster.Postgres.Query("SELECT * FROM imaproot.user_state", name).Trim());
        Assert.Equal("bob|t", cluster.Postgres.Query("SELECT user_name, notify FROM imaproot.schedule", name).Trim());
        Assert.Equal("mail=mbox:~/IMAP:INBOX=/var/mail/alice||", Userdb(name, "alice", "1000", "/home/alice"));
    }

    [Fact]
    public void TheUserdbAnswersEachStateAndTheUnlistedRule()
    {
        using var dir = new TempDirectory();
        using StateDatabase database = Listing(dir, out string name,
            "('legacy@example.org', 'legacy', '', 1, NULL), ('migrated', 'migrated', '', 2, NULL), ('moving', 'migrating', 'batch 3', 3, NULL)");

        // Variables expanded by the schema, %% a percent sign; ~ left for Dovecot.
        Assert.Equal("mail=maildir:/h/l/Maildir:INDEX=/idx/example.org/legacy/%||", Userdb(name, "legacy@example.org", "9999", "/h/l"));
        Assert.Equal("mail=mbox:~/IMAP:INBOX=/var/mail/migrated||", Userdb(name, "migrated", "1", "/h/m"));
        Assert.Equal($"|yes|{SqlUserdbSettings.Reason}", Userdb(name, "moving", "1", "/h/x"));
        // Unlisted: the default below migrated-from-uid, migrated at or above it; no uid: the default.
        Assert.Equal("mail=maildir:/h/u/Maildir:INDEX=/idx//unlisted/%||", Userdb(name, "unlisted", "4999", "/h/u"));
        Assert.Equal("mail=mbox:~/IMAP:INBOX=/var/mail/new||", Userdb(name, "new", "5000", "/h/n"));
        Assert.Equal("mail=maildir:/h/n/Maildir:INDEX=/idx//new/%||", Userdb(name, "new", "", "/h/n"));

        // Legacy fields unset: no location field, Dovecot's own; default migrated ignores the uid.
        StateSchema.Upgrade(database, new SqlUserdbSettings(UserState.Migrated, 5000, null, Migrated23, SqlUserdbSettings.Reason));
        Assert.Equal("||", Userdb(name, "legacy@example.org", "1", "/h/l"));
        Assert.Equal("mail=mbox:~/IMAP:INBOX=/var/mail/unlisted||", Userdb(name, "unlisted", "1", "/h/u"));

        // No row: every lookup fails for now, never a root nobody chose.
        cluster.Postgres.Query("DELETE FROM imaproot.dovecot_userdb", name);
        Assert.Equal("|yes|imaproot.dovecot_userdb is empty: run imaproot db upgrade", Userdb(name, "migrated", "1", "/h/m"));
    }

    [Theory]
    [InlineData("2.3")]
    [InlineData("2.4.5")]
    public void ATargetUserGetsTheTargetsFields(string version)
    {
        using var dir = new TempDirectory();
        SqlUserdbSettings row = SqlUserdbSettings.From(LoginSettings.Parse(System.Text.Encoding.UTF8.GetBytes(
            $"[dovecot]\nversion = {version}\n[state]\nfile = /x/state\n[locations]\nmigrated = mbox:~/IMAP:INBOX=/var/mail/%u\n"
            + "maildir = maildir:%h/Maildir:LAYOUT=fs\nmdbox = mdbox:~/mdbox:INDEX=/idx/%u\n"), "/etc/drh.conf"));
        using StateDatabase database = cluster.Open(dir, out string name);
        StateSchema.Init(database, row);
        cluster.Postgres.Query("INSERT INTO imaproot.user_state VALUES ('tina', 'maildir', '', 1, NULL), ('tom@example.org', 'mdbox', '', 2, NULL), ('mig', 'migrated', '', 3, NULL), ('lost', 'sdbox', '', 4, NULL)", name);

        Assert.Equal("maildir|1\nmdbox|2", cluster.Postgres.Query("SELECT name, config_order FROM imaproot.target_location ORDER BY name", name).Trim());
        string maildir = Userdb(name, "tina", "1000", "/h/t").Split('|')[0];
        string mdbox = Userdb(name, "tom@example.org", "1000", "/h/o").Split('|')[0];
        if (version == "2.3")
        {
            Assert.Equal("mail=maildir:/h/t/Maildir:LAYOUT=fs", maildir);
            Assert.Equal("mail=mdbox:~/mdbox:INDEX=/idx/tom@example.org", mdbox);
        }
        else
        {
            Assert.StartsWith("mail_driver=maildir\tmail_path=/h/t/Maildir\t", maildir, StringComparison.Ordinal);
            Assert.Contains("\tmailbox_list_layout=fs", maildir, StringComparison.Ordinal);
            Assert.StartsWith("mail_driver=mdbox\tmail_path=~/mdbox\t", mdbox, StringComparison.Ordinal);
            Assert.Contains("\tmail_index_path=/idx/tom@example.org", mdbox, StringComparison.Ordinal);
        }
        Assert.Equal(row.Targets[0].Value.Replace("%{home}", "/h/t", StringComparison.Ordinal) + "||", Userdb(name, "tina", "1000", "/h/t"));
        Assert.Equal(row.MigratedFields.Replace("%{user}", "mig", StringComparison.Ordinal) + "||", Userdb(name, "mig", "1000", "/h/m"));
        // A state naming no target: refused for now, named; never another root.
        Assert.Equal("|yes|the state sdbox names no target location in imaproot.target_location: add it to [locations] and run imaproot db upgrade", Userdb(name, "lost", "1000", "/h/l"));

        // db upgrade writes the targets the config has now: mdbox gone, its user refused for now.
        StateSchema.Upgrade(database, row with { Targets = [row.Targets[0]] });
        Assert.Equal("maildir", cluster.Postgres.Query("SELECT string_agg(name, ',') FROM imaproot.target_location", name).Trim());
        Assert.Equal("|yes|the state mdbox names no target location in imaproot.target_location: add it to [locations] and run imaproot db upgrade", Userdb(name, "tom@example.org", "1000", "/h/o"));
    }

    [Fact]
    public void TheRefusalAnswersOnlyForAUserBeingMigrated()
    {
        using var dir = new TempDirectory();
        using StateDatabase database = Listing(dir, out string name, "('moving', 'migrating', '', 1, NULL), ('done', 'migrated', '', 2, NULL)");

        Assert.Equal($"|yes|yes|[UNAVAILABLE] {SqlUserdbSettings.Reason}", cluster.Postgres.Query("SELECT * FROM imaproot.refusal('moving', 'imap')", name).Trim());
        Assert.Equal($"|yes|yes|[SYS/TEMP] {SqlUserdbSettings.Reason}", cluster.Postgres.Query("SELECT * FROM imaproot.refusal('moving', 'pop3')", name).Trim());
        Assert.Equal("", cluster.Postgres.Query("SELECT * FROM imaproot.refusal('done', 'imap')", name).Trim());
        Assert.Equal("", cluster.Postgres.Query("SELECT * FROM imaproot.refusal('unlisted', 'imap')", name).Trim());
    }

    [Fact]
    public void DovecotsRoleExecutesTheTwoFunctionsAndReadsNothing()
    {
        using var dir = new TempDirectory();
        using StateDatabase database = Listing(dir, out string name, "('moving', 'migrating', '', 1, NULL)");
        string role = $"dovecot_{name}";
        cluster.Postgres.Query($"CREATE ROLE {role} LOGIN PASSWORD 'dovecot-secret' IN ROLE imaproot_dovecot", name);
        // Not a member of imaproot_dovecot: not even the functions (EXECUTE is revoked from PUBLIC).
        cluster.Postgres.Query($"CREATE ROLE outsider_{name} LOGIN PASSWORD 'outsider-secret'", name);

        Assert.Equal($"|yes|{SqlUserdbSettings.Reason}", AsRole(name, role, "dovecot-secret", "SELECT * FROM imaproot.userdb('moving', '1', '/h')"));
        Assert.Equal($"|yes|yes|[UNAVAILABLE] {SqlUserdbSettings.Reason}", AsRole(name, role, "dovecot-secret", "SELECT * FROM imaproot.refusal('moving', 'imap')"));
        foreach (string sql in new[]
        {
            "SELECT * FROM imaproot.user_state",
            "SELECT * FROM imaproot.dovecot_userdb",
            "SELECT * FROM imaproot.schedule",
            "SELECT imaproot.state_of('moving', '1')",
            "UPDATE imaproot.user_state SET state = 'migrated'",
        })
        {
            var e = Assert.Throws<InvalidOperationException>(() => AsRole(name, role, "dovecot-secret", sql));
            Assert.Contains("permission denied", e.Message, StringComparison.Ordinal);
        }
        var outsider = Assert.Throws<InvalidOperationException>(() => AsRole(name, $"outsider_{name}", "outsider-secret", "SELECT * FROM imaproot.userdb('moving', '1', '/h')"));
        Assert.Contains("permission denied", outsider.Message, StringComparison.Ordinal);
    }

    /// <summary>A new database at the current version with <see cref="ByUid"/>'s row and <paramref name="userStateRows"/> listed.</summary>
    private StateDatabase Listing(TempDirectory dir, out string name, string userStateRows)
    {
        StateDatabase database = cluster.Open(dir, out name);
        StateSchema.Init(database, ByUid);
        cluster.Postgres.Query($"INSERT INTO imaproot.user_state VALUES {userStateRows}", name);
        return database;
    }

    private string Userdb(string database, string user, string uid, string home) =>
        cluster.Postgres.Query($"SELECT * FROM imaproot.userdb('{user}', '{uid}', '{home}')", database).Trim();

    private string AsRole(string database, string role, string password, string sql) =>
        Command.Run(Path.Combine(PrivatePostgres.BinDirectory, "psql"), [
            "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", cluster.Postgres.SocketDirectory, "-U", role, "-d", database, "-c", sql,
        ], new Dictionary<string, string> { ["PGPASSWORD"] = password, ["PGCONNECT_TIMEOUT"] = "10" }).Trim();
}
