namespace DovecotRootHelper.Cli.Tests;

/// <summary>
/// Two admin hosts on one PostgreSQL state: two imaproot with configs of their own (each its own
/// journal directory, as two hosts' local disks, unless a test shares it), over the same homes,
/// run at the same time. Only the database's advisory locks stand between them.
/// </summary>
public sealed class TwoAdminHostsShareTheDatabase : IDisposable
{
    private readonly PrivatePostgres _postgres = PrivatePostgres.Start();
    private readonly CliHome _home;
    private readonly string _database;
    private readonly string _otherHost;

    public TwoAdminHostsShareTheDatabase()
    {
        // Each kick takes a second: the two hosts' migrations overlap for sure.
        _home = new CliHome(kick: "/bin/sleep 1");
        _database = _postgres.CreateDatabase("hosts");
        PostgresBackend.Use(_home, _postgres, _database);
        Assert.Equal(0, _home.Run("db", "init").ExitCode);
        Assert.Equal(0, _home.Run("state", "import").ExitCode);
        _otherHost = OtherHost(Path.Combine(_home.Home.Root, "journal-host-b"));
    }

    [Fact]
    public void RacingMigrationsOfOneUserLetExactlyOneProceed()
    {
        CliRun[] runs = Together(() => _home.Run("migrate", "alice", "--yes"), () => _home.RunWith(_otherHost, "migrate", "alice", "--yes"));

        Assert.Equal(1, runs.Count(r => r.ExitCode == 0));
        CliRun loser = runs.Single(r => r.ExitCode != 0);
        Assert.Equal(1, loser.ExitCode);
        // Refused while the winner holds the user's lock, or (having waited its two seconds) after.
        Assert.Matches("^imaproot: alice: (another imaproot is working on this user \\(the user's advisory lock in the database hosts on .* is held, perhaps by another host\\)|alice is in state migrated, not legacy.*)\n$", loser.Stderr);
        Assert.Equal("alice|migrated", State("alice"));
        Assert.True(File.Exists(Path.Combine(_home.Home.Home, "IMAP", "Archive")));
        Assert.False(File.Exists(Path.Combine(_home.Home.Home, "Archive")));
    }

    [Fact]
    public void RunDueOnBothHostsAtOnceMigratesEachUserOnce()
    {
        _home.AddAccount("bob", 23002);
        _home.AddAccount("carol", 23003);
        Assert.Equal(0, _home.Run("schedule", "alice", "bob", "carol", "--at", "2020-01-01T00:00Z").ExitCode);

        CliRun[] runs = Together(() => _home.Run("run-due"), () => _home.RunWith(_otherHost, "run-due"));

        string output = string.Concat(runs.Select(r => r.Stdout));
        foreach (string user in new[] { "alice", "bob", "carol" })
        {
            Assert.Equal(1, output.Split('\n').Count(line => line.StartsWith($"{user}: migrated: ", StringComparison.Ordinal)));
            Assert.Equal($"{user}|migrated", State(user));
        }
        // The other either found run-due's lock held, or nothing left due.
        CliRun other = runs.Single(r => !r.Stdout.Contains("batch of 3 user(s)", StringComparison.Ordinal));
        Assert.True(
            other.Stdout == "run-due: no migration is due\n"
            || (other.ExitCode == 1 && other.Stderr.StartsWith("imaproot: another imaproot run-due is running (run-due's advisory lock in the database hosts on ", StringComparison.Ordinal)),
            $"exit {other.ExitCode}: {other.Stdout}{other.Stderr}");
        Assert.Equal("0", _postgres.Query("SELECT count(*) FROM imaproot.schedule", _database).Trim());
    }

    [Fact]
    public void BatchesOnBothHostsOverOverlappingUsersMigrateEachUserOnce()
    {
        _home.AddAccount("bob", 23002);
        _home.AddAccount("carol", 23003);
        _home.AddAccount("dave", 23004);

        // carol is in both batches; alice and bob only in the first host's, dave only in the second's.
        CliRun[] runs = Together(
            () => _home.Run("migrate", "alice", "bob", "carol", "--yes"),
            () => _home.RunWith(_otherHost, "migrate", "carol", "dave", "--yes"));

        string output = string.Concat(runs.Select(r => r.Stdout + r.Stderr));
        foreach (string user in new[] { "alice", "bob", "carol", "dave" })
        {
            Assert.True(1 == output.Split('\n').Count(line => line.StartsWith($"{user}: migrated: ", StringComparison.Ordinal)), output);
            Assert.Equal($"{user}|migrated", State(user));
        }
        // The host that lost carol says why, in her line: her lock was held, or she was migrated already.
        Assert.Matches("(?m)^carol: .*(advisory lock in the database hosts on .* is held, perhaps by another host|in state migrat)", output);
    }

    [Fact]
    public void ConcurrentSetsFromBothHostsLoseNothing()
    {
        const int Each = 150;
        CliRun[][] runs = Together<CliRun[]>(
            () => [.. Enumerable.Range(0, Each).Select(i => _home.Run("set", $"a{i}", i % 2 == 0 ? "migrated" : "legacy", "--note", $"host a {i}"))],
            () => [.. Enumerable.Range(0, Each).Select(i => _home.RunWith(_otherHost, "set", $"b{i}", i % 2 == 0 ? "migrated" : "legacy", "--note", $"host b {i}"))]);

        Assert.All(runs.SelectMany(r => r), r => Assert.Equal((0, ""), (r.ExitCode, r.Stderr)));
        string listed = _postgres.Query("SELECT count(*), count(DISTINCT file_order) FROM imaproot.user_state WHERE note LIKE 'host %'", _database).Trim();
        Assert.Equal($"{2 * Each}|{2 * Each}", listed);
        Assert.Equal("b149|legacy|host b 149", _postgres.Query("SELECT user_name, state, note FROM imaproot.user_state WHERE user_name = 'b149'", _database).Trim());
    }

    [Fact]
    public void ASetWithTheServerDownChangesNothing()
    {
        _postgres.Stop();
        CliRun set = _home.Run("set", "alice", "migrated", "--note", "x");
        Assert.Equal(1, set.ExitCode);
        Assert.StartsWith($"imaproot: {_home.Home.Root}/pgconn: cannot connect to the database hosts on {_postgres.SocketDirectory}:5432 as postgres: ", set.Stderr, StringComparison.Ordinal);
        Assert.Single(set.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        _postgres.StartServer();
        Assert.Equal("alice|legacy", State("alice"));
    }

    [Fact]
    public void AMigrationWhoseDatabaseDiedIsFinishedFromTheOtherHost()
    {
        // Both hosts share the journal directory (on the homes' storage, as docs/multi-server.md
        // says): the kick stops PostgreSQL as a crash does (immediate: no checkpoint, recovery at the
        // next start) after alice was set migrating, so the flip to migrated fails.
        string shared = OtherHost(Path.Combine(_home.Home.Root, "journal"));
        string killer = Path.Combine(_home.Home.Root, "kill-postgres");
        File.WriteAllText(killer, $"#!/bin/sh\nexec setpriv --reuid=postgres --regid=postgres --init-groups -- {PrivatePostgres.BinDirectory}/pg_ctl stop -D {_postgres.DataDirectory} -m immediate -w >/dev/null\n");
        File.SetUnixFileMode(killer, (UnixFileMode)0x1ED);
        File.WriteAllText(_home.Home.ConfigPath, File.ReadAllText(_home.Home.ConfigPath).Replace("kick = /bin/sleep 1", "kick = " + killer, StringComparison.Ordinal));

        CliRun migrate = _home.Run("migrate", "alice", "--yes");

        Assert.Equal(1, migrate.ExitCode);
        Assert.Null(_postgres.ServerPid);
        _postgres.StartServer();
        Assert.Equal("alice|migrating", State("alice"));
        CliRun refused = _home.RunWith(shared, "migrate", "alice", "--yes");
        Assert.Equal(1, refused.ExitCode);

        CliRun resumed = _home.RunWith(shared, "resume", "alice", "--yes");

        Assert.Equal((0, ""), (resumed.ExitCode, resumed.Stderr));
        Assert.Equal("alice|migrated", State("alice"));
        Assert.True(File.Exists(Path.Combine(_home.Home.Home, "IMAP", "Archive")));

        // And back from the first host, its kick harmless again.
        File.WriteAllText(_home.Home.ConfigPath, File.ReadAllText(_home.Home.ConfigPath).Replace("kick = " + killer, "kick = /bin/true", StringComparison.Ordinal));
        CliRun back = _home.Run("rollback", "alice", "--yes");
        Assert.Equal((0, ""), (back.ExitCode, back.Stderr));
        Assert.Equal("alice|legacy", State("alice"));
        Assert.True(File.Exists(Path.Combine(_home.Home.Home, "Archive")));
    }

    public void Dispose()
    {
        _home.Dispose();
        _postgres.Dispose();
    }

    private string State(string user) => _postgres.Query($"SELECT user_name, state FROM imaproot.user_state WHERE user_name = '{user}'", _database).Trim();

    // The first host's config with its own journal directory: a second admin host.
    private string OtherHost(string journalDirectory)
    {
        string config = Path.Combine(_home.Home.Root, $"host-b-{Path.GetFileName(journalDirectory)}.conf");
        string text = File.ReadAllText(_home.Home.ConfigPath).Replace($"journal-dir = {_home.Home.Root}/journal\n", $"journal-dir = {journalDirectory}\n", StringComparison.Ordinal);
        File.WriteAllText(config, text);
        File.SetUnixFileMode(config, (UnixFileMode)0x1A4);
        return config;
    }

    private static T[] Together<T>(params Func<T>[] runs)
    {
        using var start = new Barrier(runs.Length);
        Task<T>[] tasks = [.. runs.Select(run => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            return run();
        }, TaskCreationOptions.LongRunning))];
        return Task.WhenAll(tasks).GetAwaiter().GetResult();
    }
}
