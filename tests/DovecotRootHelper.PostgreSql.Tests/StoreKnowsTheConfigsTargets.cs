using DovecotRootHelper.Locations;
using DovecotRootHelper.State;

namespace DovecotRootHelper.PostgreSql.Tests;

/// <summary>
/// <see cref="PostgresStateStore"/> with named targets (issue 22), against a real PostgreSQL: a row
/// naming a target of the config reads as that target, set and set-many write target names, and a
/// row naming a target the config does not know is one error naming the user and the state, as a bad
/// state file line is; a target the config does not know is never written.
/// </summary>
public sealed class StoreKnowsTheConfigsTargets(Cluster cluster) : IClassFixture<Cluster>
{
    private static readonly TargetLocations Targets = new([
        ("maildir", LocationTemplate.Parse("maildir:~/Maildir:LAYOUT=fs")),
        ("mdbox", LocationTemplate.Parse("mdbox:~/mdbox")),
    ]);

    [Fact]
    public void ATargetRowReadsAsThatTarget()
    {
        using var dir = new TempDirectory();
        using PostgresStateStore store = Store(dir, out string name);
        cluster.Postgres.Query("INSERT INTO imaproot.user_state VALUES ('alice', 'maildir', 'converted', 1, NULL), ('bob', 'migrated', '', 2, NULL)", name);

        StateEntry alice = Assert.IsType<StateEntry>(store.Find("alice"));

        Assert.Equal((UserState.AtTarget("maildir"), "converted", 1), (alice.State, alice.Note, alice.Line));
        Assert.True(alice.State.IsTarget);
        Assert.Equal(["alice maildir", "bob migrated"], store.Entries().Select(e => $"{e.User} {e.State.Name}"));
    }

    [Fact]
    public void SetAndSetManyWriteTargetNames()
    {
        using var dir = new TempDirectory();
        using PostgresStateStore store = Store(dir, out string name);
        using (IStateChange change = store.BeginChange())
        {
            Assert.Equal(1, change.SetState("alice", UserState.AtTarget("maildir"), "n").Line);
            change.SetStates([("bob", UserState.AtTarget("mdbox")), ("alice", UserState.AtTarget("mdbox"))], "batch");
            change.Commit();
        }

        Assert.Equal("alice|mdbox|batch|1\nbob|mdbox|batch|2", cluster.Postgres.Query("SELECT user_name, state, note, file_order FROM imaproot.user_state ORDER BY file_order", name).Trim());
        Assert.Equal(UserState.AtTarget("mdbox"), store.Find("bob")!.State);
    }

    [Fact]
    public void ARowNamingAnUnknownTargetIsOneErrorNamingUserAndState()
    {
        using var dir = new TempDirectory();
        using PostgresStateStore store = Store(dir, out string name);
        cluster.Postgres.Query("INSERT INTO imaproot.user_state VALUES ('alice', 'legacy', '', 1, NULL), ('carol', 'sdbox', '', 2, NULL)", name);

        var find = Assert.Throws<StateDatabaseException>(() => store.Find("carol"));
        var entries = Assert.Throws<StateDatabaseException>(() => store.Entries());

        string where = $"{dir.Path}/{name}.pgconn: the database {name} on {cluster.Postgres.SocketDirectory}:{PrivatePostgres.Port} as {PrivatePostgres.User}";
        Assert.Equal($"{where}: imaproot.user_state lists carol as 'sdbox': expected legacy, migrated, migrating or a target of [locations]: maildir, mdbox", find.Message);
        Assert.Equal(find.Message, entries.Message);
        Assert.IsAssignableFrom<StateUnreadableException>(find);
        Assert.Equal(UserState.Legacy, store.Find("alice")!.State);
        // The config without targets (as before issue 22): the same row, the built-in three expected.
        using var older = new PostgresStateStore(new StateDatabase(ConninfoFile.Load(Path.Combine(dir.Path, $"{name}.pgconn"))), TargetLocations.None);
        Assert.Equal($"{where}: imaproot.user_state lists carol as 'sdbox': expected legacy, migrated or migrating", Assert.Throws<StateDatabaseException>(() => older.Find("carol")).Message);
    }

    [Fact]
    public void ATargetTheConfigDoesNotNameIsNeverWritten()
    {
        using var dir = new TempDirectory();
        using PostgresStateStore store = Store(dir, out string name);
        using (IStateChange change = store.BeginChange())
        {
            Assert.Throws<ArgumentException>(() => change.SetState("alice", UserState.AtTarget("sdbox"), ""));
            Assert.Throws<ArgumentException>(() => change.SetStates([("bob", UserState.AtTarget("maildir")), ("carol", UserState.AtTarget("sdbox"))], ""));
            change.Commit();
        }
        Assert.Equal("0", cluster.Postgres.Query("SELECT count(*) FROM imaproot.user_state", name).Trim());
    }

    private PostgresStateStore Store(TempDirectory dir, out string name)
    {
        StateDatabase database = cluster.Open(dir, out name);
        StateSchema.Init(database);
        return new PostgresStateStore(database, Targets);
    }
}
