using DovecotRootHelper.State;
using Npgsql;

namespace DovecotRootHelper.PostgreSql;

/// <summary>
/// The schedule in imaproot.schedule, held under a session advisory lock while an imaproot reads
/// and changes it (every other imaproot, on any host, waits); each change is committed when its
/// method returns, as the schedule file is written.
/// </summary>
internal sealed class PostgresSchedule : IMigrationSchedule
{
    private readonly StateDatabase _database;
    private readonly SessionLock _lock;
    private readonly List<ScheduledMigration> _entries;

    private PostgresSchedule(StateDatabase database, SessionLock held, List<ScheduledMigration> entries)
    {
        _database = database;
        _lock = held;
        _entries = entries;
    }

    public string Name => $"imaproot.schedule in the {_database.Settings.Describe()}";

    public IReadOnlyList<ScheduledMigration> Entries => _entries;

    public static PostgresSchedule Lock(StateDatabase database)
    {
        SessionLock held = SessionLock.Wait(database, AdvisoryLocks.Site, AdvisoryLocks.Schedule);
        try
        {
            return new PostgresSchedule(database, held, database.Run(() => Read(held.Connection)));
        }
        catch
        {
            held.Dispose();
            throw;
        }
    }

    public void Schedule(IEnumerable<string> users, DateTime at, bool notify, string? target = null)
    {
        ArgumentNullException.ThrowIfNull(users);
        string[] names = [.. users];
        foreach (string user in names)
        {
            if (UserName.Problem(user) is { } problem)
                throw new ArgumentException($"user '{user}' {problem}", nameof(users));
        }
        DateTime utc = at.ToUniversalTime();
        _database.Run(() =>
        {
            using var command = new NpgsqlCommand(
                "INSERT INTO imaproot.schedule (user_name, due_at, notify, target) SELECT u, $2, $3, $4 FROM unnest($1::text[]) AS u " +
                "ON CONFLICT (user_name) DO UPDATE SET due_at = excluded.due_at, notify = excluded.notify, target = excluded.target",
                _lock.Connection);
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = names });
            command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = utc });
            command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = notify });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)target ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            command.ExecuteNonQuery();
        });
        foreach (string user in names)
        {
            _entries.RemoveAll(e => e.User == user);
            _entries.Add(new ScheduledMigration(user, utc, notify) { To = target });
        }
    }

    public List<ScheduledMigration> Cancel(IEnumerable<string> users)
    {
        var wanted = users.ToHashSet(StringComparer.Ordinal);
        List<ScheduledMigration> removed = [.. _entries.Where(e => wanted.Contains(e.User))];
        _database.Run(() =>
        {
            using var command = new NpgsqlCommand("DELETE FROM imaproot.schedule WHERE user_name = ANY($1)", _lock.Connection);
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. wanted] });
            command.ExecuteNonQuery();
        });
        _entries.RemoveAll(e => wanted.Contains(e.User));
        return removed;
    }

    public void Dispose() => _lock.Dispose();

    private static List<ScheduledMigration> Read(NpgsqlConnection connection)
    {
        using var command = new NpgsqlCommand("SELECT user_name, due_at, notify, target FROM imaproot.schedule ORDER BY due_at, user_name", connection);
        using NpgsqlDataReader reader = command.ExecuteReader();
        var entries = new List<ScheduledMigration>();
        while (reader.Read())
            entries.Add(new ScheduledMigration(reader.GetString(0), DateTime.SpecifyKind(reader.GetDateTime(1), DateTimeKind.Utc), reader.GetBoolean(2)) { To = reader.IsDBNull(3) ? null : reader.GetString(3) });
        return entries;
    }
}
