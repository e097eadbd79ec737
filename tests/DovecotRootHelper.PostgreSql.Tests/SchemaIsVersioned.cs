
namespace DovecotRootHelper.PostgreSql.Tests;

/// <summary><c>db init</c> and <c>db upgrade</c> against a real PostgreSQL: created once in one transaction, left alone when current, a newer schema refused.</summary>
public sealed class SchemaIsVersioned(Cluster cluster) : IClassFixture<Cluster>
{
    private static readonly string[] Tables = ["dovecot_userdb", "schedule", "schema_version", "state_file", "state_file_comment", "target_location", "user_state"];

    [Fact]
    public void InitCreatesEveryTableAtTheCurrentVersion()
    {
        using var dir = new TempDirectory();
        using StateDatabase database = cluster.Open(dir, out string name);
        Assert.Empty(TablesIn(name));

        Assert.Equal(new SchemaChange(0, StateSchema.Current), StateSchema.Init(database));

        Assert.Equal(Tables, TablesIn(name));
        Assert.Equal("6", cluster.Postgres.Query("SELECT version FROM imaproot.schema_version", name).Trim());
        Assert.Equal(6, StateSchema.Current);
    }

    [Fact]
    public void InitAgainChangesNothing()
    {
        using var dir = new TempDirectory();
        using StateDatabase database = Initialized(dir, out string name);
        cluster.Postgres.Query("INSERT INTO imaproot.user_state VALUES ('alice', 'migrated', 'moved', 1, NULL)", name);
        string before = cluster.Postgres.Query("SELECT changed_at FROM imaproot.schema_version", name);

        Assert.Equal(new SchemaChange(6, 6), StateSchema.Init(database));
        Assert.Equal(new SchemaChange(6, 6), StateSchema.Upgrade(database));

        Assert.Equal("alice|migrated|moved", cluster.Postgres.Query("SELECT user_name, state, note FROM imaproot.user_state", name).Trim());
        Assert.Equal(before, cluster.Postgres.Query("SELECT changed_at FROM imaproot.schema_version", name));
    }

    [Fact]
    public void UpgradeFromNothingCreatesTheSchema()
    {
        using var dir = new TempDirectory();
        using StateDatabase database = cluster.Open(dir, out string name);

        Assert.Equal(new SchemaChange(0, 6), StateSchema.Upgrade(database));

        Assert.Equal(Tables, TablesIn(name));
    }

    [Fact]
    public void UpgradeFromVersion2KeepsTheRowsAndAddsTheFileEnding()
    {
        using var dir = new TempDirectory();
        using StateDatabase database = cluster.Open(dir, out string name);
        cluster.Postgres.Query(StateSchema.Steps[0], name);
        cluster.Postgres.Query(StateSchema.Steps[1], name);
        cluster.Postgres.Query("UPDATE imaproot.schema_version SET version = 2; INSERT INTO imaproot.user_state VALUES ('alice', 'migrated', 'n', 1, E'alice\\tmigrated\\tn')", name);

        Assert.Equal(new SchemaChange(2, 6), StateSchema.Upgrade(database));

        Assert.Equal("alice|migrated|n|1|alice\tmigrated\tn", cluster.Postgres.Query("SELECT * FROM imaproot.user_state", name).Trim());
        Assert.Equal("t", cluster.Postgres.Query("SELECT final_newline FROM imaproot.state_file", name).Trim());
    }

    [Fact]
    public void ASchemaFromTheFutureIsRefusedAndLeftAlone()
    {
        using var dir = new TempDirectory();
        using StateDatabase database = Initialized(dir, out string name);
        cluster.Postgres.Query("UPDATE imaproot.schema_version SET version = 7; CREATE TABLE imaproot.from_version_7 (x integer)", name);

        var init = Assert.Throws<SchemaTooNewException>(() => StateSchema.Init(database));
        var upgrade = Assert.Throws<SchemaTooNewException>(() => StateSchema.Upgrade(database));

        Assert.Equal(init.Message, upgrade.Message);
        Assert.StartsWith($"{database.Settings.Source}: the database {name} on ", init.Message, StringComparison.Ordinal);
        Assert.Contains("holds imaproot schema version 7, newer than this imaproot knows (6): nothing was done", init.Message, StringComparison.Ordinal);
        Assert.Equal("7", cluster.Postgres.Query("SELECT version FROM imaproot.schema_version", name).Trim());
        Assert.Contains("from_version_7", TablesIn(name));
    }

    [Fact]
    public void AnInitThatFailsHalfwayLeavesNothing()
    {
        using var dir = new TempDirectory();
        using StateDatabase database = cluster.Open(dir, out string name);
        // Version 1 creates user_state before schedule: a schedule already there fails it after user_state was made.
        cluster.Postgres.Query("CREATE SCHEMA imaproot; CREATE TABLE imaproot.schedule (x integer)", name);

        var e = Assert.Throws<StateDatabaseException>(() => StateSchema.Init(database));

        Assert.Contains("relation \"schedule\" already exists (SQLSTATE 42P07): nothing was changed", e.Message, StringComparison.Ordinal);
        Assert.Equal(["schedule"], TablesIn(name));
    }

    [Fact]
    public void TheTablesRefuseWhatTheStateFileCannotHold()
    {
        using var dir = new TempDirectory();
        using StateDatabase database = Initialized(dir, out string name);
        foreach (string values in new[]
        {
            // Since version 5 a state is a built-in or a target's name (a-z, 0-9, '-', from a letter, up to 32).
            "('alice', 'Moving', '', 1, NULL)",
            "('alice', 'mail dir', '', 1, NULL)",
            "('alice', '9lives', '', 1, NULL)",
            "('alice', '', '', 1, NULL)",
            $"('alice', '{new string('m', 33)}', '', 1, NULL)",
            "('bad name', 'legacy', '', 1, NULL)",
            "('a/b', 'legacy', '', 1, NULL)",
            "('-x', 'legacy', '', 1, NULL)",
            "('..', 'legacy', '', 1, NULL)",
            "('', 'legacy', '', 1, NULL)",
            "('alice', 'legacy', E'two\\nlines', 1, NULL)",
        })
        {
            var e = Assert.Throws<InvalidOperationException>(() => cluster.Postgres.Query($"INSERT INTO imaproot.user_state VALUES {values}", name));
            Assert.Contains("violates check constraint", e.Message, StringComparison.Ordinal);
        }
        cluster.Postgres.Query("INSERT INTO imaproot.user_state VALUES ('alice@example.org', 'migrating', 'batch 3', 1, NULL)", name);
        cluster.Postgres.Query($"INSERT INTO imaproot.user_state VALUES ('bob', 'maildir', '', 2, NULL), ('carol', 'mdbox-2', '', 3, NULL), ('dave', '{new string('m', 32)}', '', 4, NULL)", name);
        foreach (string values in new[] { "('Maildir', 'mail=x', 1)", "('migrated', 'mail=x', 1)", "('maildir', E'two\\nlines', 1)" })
        {
            var e = Assert.Throws<InvalidOperationException>(() => cluster.Postgres.Query($"INSERT INTO imaproot.target_location VALUES {values}", name));
            Assert.Contains("violates check constraint", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void UpgradeFromVersion4KeepsTheRowsAndTakesTargets()
    {
        using var dir = new TempDirectory();
        using StateDatabase database = cluster.Open(dir, out string name);
        for (int version = 1; version <= 4; version++)
            cluster.Postgres.Query(StateSchema.Steps[version - 1], name);
        cluster.Postgres.Query("UPDATE imaproot.schema_version SET version = 4; "
            + "INSERT INTO imaproot.user_state VALUES ('alice', 'migrated', 'n', 1, E'alice\\tmigrated\\tn'), ('bob', 'migrating', '', 3, NULL); "
            + "INSERT INTO imaproot.state_file_comment VALUES (2, '# kept'); INSERT INTO imaproot.schedule VALUES ('carol', '2030-01-01 00:00Z', false)", name);
        Assert.Throws<InvalidOperationException>(() => cluster.Postgres.Query("UPDATE imaproot.user_state SET state = 'maildir' WHERE user_name = 'bob'", name));

        Assert.Equal(new SchemaChange(4, 6), StateSchema.Upgrade(database));

        Assert.Equal("alice|migrated|n|1|alice\tmigrated\tn\nbob|migrating||3|", cluster.Postgres.Query("SELECT * FROM imaproot.user_state ORDER BY file_order", name).Trim());
        Assert.Equal("2|# kept", cluster.Postgres.Query("SELECT * FROM imaproot.state_file_comment", name).Trim());
        Assert.Equal("carol|f", cluster.Postgres.Query("SELECT user_name, notify FROM imaproot.schedule", name).Trim());
        cluster.Postgres.Query("UPDATE imaproot.user_state SET state = 'maildir' WHERE user_name = 'bob'", name);
        Assert.Equal("bob|maildir", cluster.Postgres.Query("SELECT user_name, state FROM imaproot.user_state WHERE user_name = 'bob'", name).Trim());
    }

    [Fact]
    public void TwoInitsAtOnceCreateTheSchemaOnce()
    {
        using var dir = new TempDirectory();
        using StateDatabase database = cluster.Open(dir, out string name);
        using var second = new StateDatabase(database.Settings);

        SchemaChange[] changes = [.. new[] { database, second }.AsParallel().Select(d => StateSchema.Init(d))];

        Assert.Equal([new SchemaChange(0, 6), new SchemaChange(6, 6)], changes.OrderBy(c => c.Before));
        Assert.Equal(Tables, TablesIn(name));
    }

    /// <summary>A new database at the current version.</summary>
    private StateDatabase Initialized(TempDirectory dir, out string name)
    {
        StateDatabase database = cluster.Open(dir, out name);
        Assert.Equal(new SchemaChange(0, StateSchema.Current), StateSchema.Init(database));
        return database;
    }

    private List<string> TablesIn(string database) =>
        [.. cluster.Postgres.Query("SELECT tablename FROM pg_tables WHERE schemaname = 'imaproot' ORDER BY tablename", database)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)];

}
