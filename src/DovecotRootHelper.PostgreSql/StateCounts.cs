using Npgsql;

namespace DovecotRootHelper.PostgreSql;

/// <summary>
/// How many users <c>imaproot.user_state</c> lists per state, as the rows say it (a target the config
/// no longer names is counted under its name), and how many migrations the schedule holds: what
/// <c>imaproot db status</c> shows. One connection, nothing changed.
/// </summary>
public sealed record StateCounts(IReadOnlyList<KeyValuePair<string, long>> Users, long Scheduled)
{
    /// <summary>Reads both from a database at the current schema.</summary>
    /// <exception cref="StateDatabaseException">The server cannot be reached or failed.</exception>
    public static StateCounts Read(StateDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        using NpgsqlConnection connection = database.Open();
        return database.Run(() =>
        {
            var users = new List<KeyValuePair<string, long>>();
            using (var command = new NpgsqlCommand("SELECT state, count(*) FROM imaproot.user_state GROUP BY state ORDER BY state", connection))
            using (NpgsqlDataReader reader = command.ExecuteReader())
            {
                while (reader.Read())
                    users.Add(KeyValuePair.Create(reader.GetString(0), reader.GetInt64(1)));
            }
            using var scheduled = new NpgsqlCommand("SELECT count(*) FROM imaproot.schedule", connection);
            return new StateCounts(users, (long)scheduled.ExecuteScalar()!);
        });
    }
}
