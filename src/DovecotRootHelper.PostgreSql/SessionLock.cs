using Npgsql;

namespace DovecotRootHelper.PostgreSql;

/// <summary>
/// A session advisory lock held on its own connection: released by dispose, or by PostgreSQL when
/// the connection ends (imaproot killed, the host gone). Released explicitly before the connection
/// goes back to the pool, which would otherwise keep it held until the connection's next use.
/// </summary>
internal sealed class SessionLock : IDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly int _class;
    private readonly string? _user;
    private readonly int _id;

    private SessionLock(NpgsqlConnection connection, int lockClass, string? user, int id)
    {
        _connection = connection;
        _class = lockClass;
        _user = user;
        _id = id;
    }

    /// <summary>The lock, or null when another session holds it.</summary>
    public static SessionLock? TryTake(StateDatabase database, int lockClass, string? user, int id = 0) =>
        Take(database, lockClass, user, id, wait: false);

    /// <summary>The lock, waiting for another session to release it.</summary>
    public static SessionLock Wait(StateDatabase database, int lockClass, int id) =>
        Take(database, lockClass, null, id, wait: true)!;

    /// <summary>The connection holding the lock, for statements made under it.</summary>
    public NpgsqlConnection Connection => _connection;

    public void Dispose()
    {
        try
        {
            if (_connection.FullState == System.Data.ConnectionState.Open)
                Run(_connection, "pg_advisory_unlock", _class, _user, _id);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or IOException)
        {
            // The connection is gone, and the lock with it.
        }
        _connection.Dispose();
    }

    private static SessionLock? Take(StateDatabase database, int lockClass, string? user, int id, bool wait)
    {
        NpgsqlConnection connection = database.Open();
        try
        {
            object? taken = database.Run(() => Run(connection, wait ? "pg_advisory_lock" : "pg_try_advisory_lock", lockClass, user, id));
            if (wait || taken is true)
                return new SessionLock(connection, lockClass, user, id);
            connection.Dispose();
            return null;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static object? Run(NpgsqlConnection connection, string function, int lockClass, string? user, int id)
    {
        string key = user is null ? "$2" : "hashtext($2)";
        using var command = new NpgsqlCommand($"SELECT {function}($1, {key})", connection);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = lockClass });
        if (user is null)
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = id });
        else
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = user });
        object? result = command.ExecuteScalar();
        return result is DBNull ? null : result;
    }
}
