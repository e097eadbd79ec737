using DovecotRootHelper.Locations;
using DovecotRootHelper.State;
using Npgsql;

namespace DovecotRootHelper.PostgreSql;

/// <summary>
/// The state in PostgreSQL (<c>[state] backend = postgresql</c>): imaproot.user_state, changed in
/// one transaction under an advisory lock, read by Dovecot's sql userdb at every lookup (nothing to
/// wait for after a change). A row's <c>file_order</c> is its line as the state file had it (or
/// would have it): what <c>list</c> orders by and <c>set</c> reports, so both backends answer alike.
/// The user, run-due and schedule locks are advisory locks, site-wide across admin hosts. A state
/// besides the built-in three names a target of the config's <c>[locations]</c>.
/// </summary>
public sealed class PostgresStateStore : IStateStore
{
    // The next line of the state file as an export would write it: after every user and comment line.
    private const string NextLine =
        "(SELECT GREATEST((SELECT max(file_order) FROM imaproot.user_state), (SELECT max(file_order) FROM imaproot.state_file_comment), 0))";

    // The file backend writes every line it writes with its newline: a state imported without a
    // final newline gains one when its last line is rewritten or a line is appended (NextLine and the
    // table as they were before the statement: a CTE's subqueries see the statement's snapshot).
    private const string EndsWithNewline =
        "ending AS (UPDATE imaproot.state_file SET final_newline = true WHERE NOT final_newline AND (SELECT max(file_order) FROM written) >= " + NextLine + ")";

    private readonly StateDatabase _database;
    private readonly TargetLocations _targets;
    private bool _schemaChecked;

    /// <param name="targets">The config's target locations: the states a row may name besides the built-in three.</param>
    public PostgresStateStore(StateDatabase database, TargetLocations targets)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(targets);
        _database = database;
        _targets = targets;
    }

    public string Name => $"PostgreSQL {_database.Settings.Describe()}";

    /// <summary>The line the user has in the state an export writes.</summary>
    public string Where(StateEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return $"{Name}, line {entry.Line}";
    }

    public StateEntry? Find(string user)
    {
        using NpgsqlConnection connection = Open();
        return _database.Run(() => Find(connection, null, user));
    }

    public IReadOnlyList<StateEntry> Entries()
    {
        using NpgsqlConnection connection = Open();
        return _database.Run(() =>
        {
            using var command = new NpgsqlCommand("SELECT user_name, state, note, file_order FROM imaproot.user_state ORDER BY file_order", connection);
            using NpgsqlDataReader reader = command.ExecuteReader();
            var entries = new List<StateEntry>();
            while (reader.Read())
                entries.Add(EntryOf(reader));
            return entries;
        });
    }

    public IStateChange BeginChange()
    {
        NpgsqlConnection connection = Open();
        try
        {
            NpgsqlTransaction transaction = _database.Run(() =>
            {
                NpgsqlTransaction begun = connection.BeginTransaction();
                using var wait = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({AdvisoryLocks.Site}, {AdvisoryLocks.StateChange})", connection, begun);
                wait.ExecuteNonQuery();
                return begun;
            });
            return new Change(this, connection, transaction);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Dovecot's sql userdb reads the table at every lookup: a committed change is served.</summary>
    public void WaitUntilServed()
    {
    }

    public IDisposable? TryLockUser(string user)
    {
        RequireSchema();
        return SessionLock.TryTake(_database, AdvisoryLocks.User, user);
    }

    public IDisposable? TryLockRunDue()
    {
        RequireSchema();
        return SessionLock.TryTake(_database, AdvisoryLocks.Site, null, AdvisoryLocks.RunDue);
    }

    public string HeldLock(string? user) =>
        $"{(user is null ? "run-due's" : "the user's")} advisory lock in the {_database.Settings.Describe()} is held, perhaps by another host";

    public IMigrationSchedule LockSchedule()
    {
        RequireSchema();
        return PostgresSchedule.Lock(_database);
    }

    public void Dispose() => _database.Dispose();

    private StateEntry? Find(NpgsqlConnection connection, NpgsqlTransaction? transaction, string user)
    {
        using var command = new NpgsqlCommand("SELECT user_name, state, note, file_order FROM imaproot.user_state WHERE user_name = $1", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = user });
        using NpgsqlDataReader reader = command.ExecuteReader();
        return reader.Read() ? EntryOf(reader) : null;
    }

    private StateEntry EntryOf(NpgsqlDataReader reader)
    {
        string user = reader.GetString(0);
        return new(user, StateOf(user, reader.GetString(1)), (int)Math.Min(reader.GetInt64(3), int.MaxValue), reader.GetString(2));
    }

    // A row naming a target the config does not (removed from [locations], or another host's config)
    // is refused as a bad state file line is: the user's location is unknown here.
    private UserState StateOf(string user, string name) =>
        UserState.TryParse(name, _targets, out UserState state) ? state
        : throw new StateDatabaseException($"{_database.Settings.Source}: the {_database.Settings.Describe()}: imaproot.user_state lists {user} as '{name}': expected {UserState.Expected(_targets)}");

    // What no row may say: a target the config does not name (the file backend refuses it alike).
    private void RequireKnown(UserState state)
    {
        if (state.IsTarget && _targets.IndexOf(state.Name) < 0)
            throw new ArgumentException($"no target location is named '{state.Name}'", nameof(state));
    }

    // A connection to a database whose schema this imaproot reads, checked once per process.
    private NpgsqlConnection Open()
    {
        NpgsqlConnection connection = _database.Open();
        try
        {
            if (!_schemaChecked)
            {
                StateSchema.RequireCurrent(_database, connection);
                _schemaChecked = true;
            }
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void RequireSchema() => Open().Dispose();

    private sealed class Change(PostgresStateStore store, NpgsqlConnection connection, NpgsqlTransaction transaction) : IStateChange
    {
        private readonly StateDatabase database = store._database;

        public StateEntry? Find(string user) => database.Run(() => store.Find(connection, transaction, user));

        public StateEntry SetState(string user, UserState state, string note)
        {
            StateFileWriter.RequireWritable(user, note);
            store.RequireKnown(state);
            long line = database.Run(() =>
            {
                using var command = new NpgsqlCommand(
                    "WITH written AS (INSERT INTO imaproot.user_state (user_name, state, note, file_order) VALUES ($1, $2, $3, " + NextLine + " + 1) " +
                    "ON CONFLICT (user_name) DO UPDATE SET state = excluded.state, note = excluded.note, file_line = NULL RETURNING file_order), " +
                    EndsWithNewline + " SELECT file_order FROM written",
                    connection, transaction);
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = user });
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = state.ToName() });
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = note });
                return (long)command.ExecuteScalar()!;
            });
            return new StateEntry(user, state, (int)Math.Min(line, int.MaxValue), note);
        }

        public void SetStates(IReadOnlyList<(string User, UserState State)> changes, string note)
        {
            ArgumentNullException.ThrowIfNull(changes);
            if (changes.Count == 0)
                return;
            foreach ((string user, UserState state) in changes)
            {
                StateFileWriter.RequireWritable(user, note);
                store.RequireKnown(state);
            }
            // Users not listed yet get the next lines in the order given, as the file appends them.
            database.Run(() =>
            {
                using var command = new NpgsqlCommand(
                    "WITH c AS (SELECT * FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS c(user_name, state, n)), " +
                    "fresh AS (SELECT c.user_name, row_number() OVER (ORDER BY c.n) AS k FROM c WHERE NOT EXISTS (SELECT 1 FROM imaproot.user_state u WHERE u.user_name = c.user_name)), " +
                    "written AS (INSERT INTO imaproot.user_state (user_name, state, note, file_order) " +
                    "SELECT c.user_name, c.state, $3, " + NextLine + " + COALESCE(fresh.k, 0) FROM c LEFT JOIN fresh USING (user_name) ORDER BY c.n " +
                    "ON CONFLICT (user_name) DO UPDATE SET state = excluded.state, note = excluded.note, file_line = NULL RETURNING file_order), " +
                    EndsWithNewline + " SELECT count(*) FROM written",
                    connection, transaction);
                command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. changes.Select(c => c.User)] });
                command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. changes.Select(c => c.State.ToName())] });
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = note });
                command.ExecuteNonQuery();
            });
        }

        public void Commit() => database.Run(transaction.Commit);

        public void Dispose()
        {
            transaction.Dispose();
            connection.Dispose();
        }
    }
}
