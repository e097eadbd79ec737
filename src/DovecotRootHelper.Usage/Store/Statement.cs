using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace DovecotRootHelper.Usage.Store;

/// <summary>
/// One SQL statement prepared once and run many times with new values, straight through SQLite's
/// C API on the store's connection (and inside its transaction). A commit runs one per sum and
/// several per rename: SqliteCommand's per-run work (binding through boxed values, re-reading the
/// statement list) cost more than SQLite's own.
/// </summary>
internal sealed class Statement : IDisposable
{
    private readonly sqlite3 _database;
    private readonly sqlite3_stmt _statement;
    private readonly int[] _positions;

    /// <param name="parameters">The statement's parameters in the order <see cref="Bind(int, long)"/> numbers them (from 1); a name it lacks is 0, and binding 0 does nothing.</param>
    public Statement(SqliteConnection connection, string sql, params string[] parameters)
    {
        _database = connection.Handle!;
        SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(_database, sql, out _statement), _database);
        _positions = [.. parameters.Select(name => raw.sqlite3_bind_parameter_index(_statement, name))];
    }

    public void Bind(int parameter, long value)
    {
        if (_positions[parameter - 1] is int at and > 0)
            Check(raw.sqlite3_bind_int64(_statement, at, value));
    }

    public void Bind(int parameter, string? value)
    {
        if (_positions[parameter - 1] is int at and > 0)
            Check(value is null ? raw.sqlite3_bind_null(_statement, at) : raw.sqlite3_bind_text16(_statement, at, value.AsSpan()));
    }

    /// <summary>Runs the statement with the values bound, then readies it for the next values.</summary>
    public void Run()
    {
        int result = raw.sqlite3_step(_statement);
        raw.sqlite3_reset(_statement);
        if (result != raw.SQLITE_DONE)
            SqliteException.ThrowExceptionForRC(result, _database);
    }

    public void Dispose() => _statement.Dispose();

    private void Check(int result) => SqliteException.ThrowExceptionForRC(result, _database);
}
