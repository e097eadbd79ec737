using Npgsql;

namespace DovecotRootHelper.PostgreSql;

/// <summary>
/// imaproot's tables, in the PostgreSQL schema <c>imaproot</c>, versioned by the one row of
/// <c>imaproot.schema_version</c>. <see cref="Steps"/>[n - 1] takes the database from version
/// n - 1 to n; each run applies what is missing in one transaction, under an advisory lock so that
/// two admin hosts running it at once apply each step once. A version newer than <see cref="Current"/>
/// is refused: this imaproot does not know what the newer one's columns mean.
/// </summary>
public static class StateSchema
{
    /// <summary>The version this imaproot reads and writes.</summary>
    public static int Current => Steps.Count;

    // 'imaproot' in ASCII: the advisory lock every schema change takes for its transaction.
    private const long SchemaLock = 0x696d6170726f6f74;

    /// <summary>The SQL of each version, in order; never edited once released, only appended to.</summary>
    public static IReadOnlyList<string> Steps { get; } =
    [
        // Version 1. The state file's content: each user's line (user, state, note) where the file
        // has it (file_order), with the line as imported (file_line) kept while the row is unchanged
        // so that an export gives the file back byte for byte, and the comment and blank lines
        // between. The user-name rule is UserName's, less its Unicode blanks (imaproot checks those).
        // The schedule file's content: user, time (UTC), whether notices are sent.
        """
        CREATE SCHEMA IF NOT EXISTS imaproot;
        CREATE TABLE imaproot.schema_version (
            one_row boolean PRIMARY KEY DEFAULT true CHECK (one_row),
            version integer NOT NULL CHECK (version >= 1),
            changed_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE DOMAIN imaproot.user_name AS text CHECK (
            length(VALUE) BETWEEN 1 AND 256
            AND VALUE NOT IN ('.', '..')
            AND left(VALUE, 1) NOT IN ('-', '#')
            AND VALUE !~ '[[:space:][:cntrl:]/:\\]'
        );
        CREATE TABLE imaproot.user_state (
            user_name imaproot.user_name PRIMARY KEY,
            state text NOT NULL CHECK (state IN ('legacy', 'migrated', 'migrating')),
            note text NOT NULL DEFAULT '' CHECK (note !~ '[\r\n]'),
            file_order bigint NOT NULL,
            file_line text CHECK (file_line !~ '[\r\n]')
        );
        CREATE INDEX user_state_file_order ON imaproot.user_state (file_order);
        CREATE TABLE imaproot.state_file_comment (
            file_order bigint PRIMARY KEY,
            line text NOT NULL CHECK (line !~ '[\r\n]')
        );
        CREATE TABLE imaproot.schedule (
            user_name imaproot.user_name PRIMARY KEY,
            due_at timestamptz NOT NULL,
            notify boolean NOT NULL
        );
        CREATE INDEX schedule_due_at ON imaproot.schedule (due_at, user_name);
        INSERT INTO imaproot.schema_version (version) VALUES (1);
        """,
    ];

    /// <summary>
    /// <c>imaproot db init</c>: creates the schema in a database that has none; a database already
    /// at <see cref="Current"/> is left as it is. An older schema is left for <see cref="Upgrade"/>.
    /// </summary>
    /// <exception cref="SchemaTooNewException">The database's schema is newer than <see cref="Current"/>.</exception>
    /// <exception cref="StateDatabaseException">The schema is older, or the server failed.</exception>
    public static SchemaChange Init(StateDatabase database) => Apply(database, initOnly: true);

    /// <summary><c>imaproot db upgrade</c>: brings the schema, or its absence, to <see cref="Current"/>.</summary>
    /// <exception cref="SchemaTooNewException">The database's schema is newer than <see cref="Current"/>.</exception>
    /// <exception cref="StateDatabaseException">The server failed.</exception>
    public static SchemaChange Upgrade(StateDatabase database) => Apply(database, initOnly: false);

    /// <summary>The database's version (0: no schema), read without changing anything.</summary>
    public static int VersionOf(NpgsqlConnection connection, NpgsqlTransaction? transaction = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var exists = new NpgsqlCommand("SELECT to_regclass('imaproot.schema_version') IS NOT NULL", connection, transaction);
        if (!(bool)exists.ExecuteScalar()!)
            return 0;
        using var version = new NpgsqlCommand("SELECT version FROM imaproot.schema_version", connection, transaction);
        return version.ExecuteScalar() is int found ? found : 0;
    }

    private static SchemaChange Apply(StateDatabase database, bool initOnly)
    {
        string where = $"{database.Settings.Source}: the {database.Settings.Describe()}";
        try
        {
            using NpgsqlConnection connection = database.Open();
            using NpgsqlTransaction transaction = connection.BeginTransaction();
            using (var lockSchema = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({SchemaLock})", connection, transaction))
                lockSchema.ExecuteNonQuery();
            int found = VersionOf(connection, transaction);
            if (found > Current)
                throw new SchemaTooNewException($"{where} holds imaproot schema version {found}, newer than this imaproot knows ({Current}): nothing was done; use the imaproot that wrote it, or a newer one");
            if (initOnly && found is > 0 && found < Current)
                throw new StateDatabaseException($"{where} holds imaproot schema version {found}, older than this imaproot's ({Current}): nothing was done; run imaproot db upgrade");
            for (int version = found + 1; version <= Current; version++)
            {
                using var step = new NpgsqlCommand(Steps[version - 1], connection, transaction);
                step.ExecuteNonQuery();
                using var record = new NpgsqlCommand("UPDATE imaproot.schema_version SET version = $1, changed_at = now()", connection, transaction);
                record.Parameters.Add(new NpgsqlParameter<int> { TypedValue = version });
                record.ExecuteNonQuery();
            }
            transaction.Commit();
            return new SchemaChange(found, Math.Max(found, Current));
        }
        catch (PostgresException e)
        {
            throw new StateDatabaseException($"{where}: {StateDatabase.OneLine(e.MessageText)} (SQLSTATE {e.SqlState}): nothing was changed", e);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException)
        {
            throw new StateDatabaseException($"{where}: {StateDatabase.OneLine(e.Message)}: nothing was changed", e);
        }
    }
}
