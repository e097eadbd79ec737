namespace DovecotRootHelper.PostgreSql.Tests;

/// <summary>Npgsql's slim builder, with the connection file's settings, against a real PostgreSQL: a login, a refused login, a server gone.</summary>
public sealed class StateDatabaseConnectsOverTheSocket(Cluster cluster) : IClassFixture<Cluster>
{
    [Fact]
    public void TheFilesSettingsReachTheDatabaseWithThePassword()
    {
        using var dir = new TempDirectory();
        using StateDatabase database = cluster.Open(dir, out string name);
        using Npgsql.NpgsqlConnection connection = database.Open();
        using var query = new Npgsql.NpgsqlCommand("SELECT current_database() || ' ' || current_user || ' ' || (SELECT auth_method FROM pg_hba_file_rules WHERE type = 'local' LIMIT 1)", connection);
        Assert.Equal($"{name} postgres scram-sha-256", query.ExecuteScalar());
    }

    [Fact]
    public void AWrongPasswordIsOneLineNamingTheFileNotThePassword()
    {
        using var dir = new TempDirectory();
        (string name, _) = cluster.NewDatabase(dir);
        string path = dir.Write("wrong.pgconn", cluster.Postgres.Conninfo(name).Replace(cluster.Postgres.Password, "wrong-password-42", StringComparison.Ordinal),
            UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using var database = new StateDatabase(ConninfoFile.Load(path));
        var e = Assert.Throws<StateDatabaseException>(() => database.Open());
        Assert.StartsWith($"{path}: cannot connect to the database {name} on {cluster.Postgres.SocketDirectory}:5432 as postgres: ", e.Message, StringComparison.Ordinal);
        Assert.Contains("password authentication failed", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password-42", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void NoServerIsOneLineNamingTheFile()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("nowhere.pgconn", $"host = {dir.Path}\ndbname = d\nuser = u\npassword = p\n", UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using var database = new StateDatabase(ConninfoFile.Load(path));
        var e = Assert.Throws<StateDatabaseException>(() => database.Open());
        Assert.StartsWith($"{path}: cannot connect to the database d on {dir.Path}:5432 as u: ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }
}
