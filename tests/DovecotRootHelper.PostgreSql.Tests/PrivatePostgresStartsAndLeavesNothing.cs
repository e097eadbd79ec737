namespace DovecotRootHelper.PostgreSql.Tests;

/// <summary>The test harness itself: a private PostgreSQL that starts, answers on its socket only, survives a kill, and leaves nothing behind.</summary>
public sealed class PrivatePostgresStartsAndLeavesNothing
{
    [Fact]
    public void StartsAnswersOnItsSocketAndLeavesNoProcessOrFile()
    {
        int pid;
        string root;
        using (PrivatePostgres postgres = PrivatePostgres.Start())
        {
            root = postgres.Root;
            pid = postgres.ServerPid ?? throw new InvalidOperationException("started, but no postmaster.pid names a live process");
            Assert.True(File.Exists(postgres.SocketPath), $"no socket at {postgres.SocketPath}");
            Assert.Equal("42", postgres.Query("SELECT 6 * 7").Trim());
            // A Unix socket only: the server was told to open no TCP port.
            Assert.Equal("", postgres.Query("SHOW listen_addresses").Trim());
            Assert.Equal(postgres.SocketDirectory, postgres.Query("SHOW unix_socket_directories").Trim());
            // The processes run as the postgres account, never as root.
            Assert.NotEqual("0", File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t')[1]);
        }
        Assert.False(PrivatePostgres.IsAlive(pid), $"the postmaster {pid} outlived Dispose");
        Assert.False(Directory.Exists(root), $"{root} outlived Dispose");
    }

    [Fact]
    public void RefusesAWrongPassword()
    {
        using PrivatePostgres postgres = PrivatePostgres.Start();
        var e = Assert.Throws<InvalidOperationException>(() => Command.Run(Path.Combine(PrivatePostgres.BinDirectory, "psql"),
            ["-X", "-h", postgres.SocketDirectory, "-U", PrivatePostgres.User, "-d", PrivatePostgres.Database, "-c", "SELECT 1"],
            new Dictionary<string, string> { ["PGPASSWORD"] = "not-" + postgres.Password }));
        Assert.Contains("password authentication failed", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AKilledServerLosesItsSocketUsersAndComesBackWithItsData()
    {
        using PrivatePostgres postgres = PrivatePostgres.Start();
        postgres.Query("CREATE TABLE kept (n integer); INSERT INTO kept VALUES (1)");
        int pid = postgres.ServerPid!.Value;

        postgres.Kill();

        Assert.Null(postgres.ServerPid);
        Assert.False(PrivatePostgres.IsAlive(pid), $"the postmaster {pid} outlived Kill");
        Assert.Throws<InvalidOperationException>(() => postgres.Query("SELECT 1"));
        postgres.StartServer();
        Assert.Equal("1", postgres.Query("SELECT n FROM kept").Trim());
    }
}
