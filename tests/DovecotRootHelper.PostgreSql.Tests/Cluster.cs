namespace DovecotRootHelper.PostgreSql.Tests;

/// <summary>One private PostgreSQL for a test class (xunit's class fixture), a fresh database for each test.</summary>
public sealed class Cluster : IDisposable
{
    private int _databases;

    public PrivatePostgres Postgres { get; } = PrivatePostgres.Start();

    /// <summary>A new empty database and a connection file for it, 0600 in <paramref name="directory"/>.</summary>
    public (string Name, string ConninfoFile) NewDatabase(TempDirectory directory)
    {
        string name = Postgres.CreateDatabase($"t{Interlocked.Increment(ref _databases)}");
        return (name, directory.Write($"{name}.pgconn", Postgres.Conninfo(name), UnixFileMode.UserRead | UnixFileMode.UserWrite));
    }

    /// <summary>The state database for a new empty database.</summary>
    public StateDatabase Open(TempDirectory directory, out string name)
    {
        (name, string conninfo) = NewDatabase(directory);
        return new StateDatabase(ConninfoFile.Load(conninfo));
    }

    public void Dispose() => Postgres.Dispose();
}
