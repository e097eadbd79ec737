using DovecotRootHelper.Dovecot;
using DovecotRootHelper.State;
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

        // Version 2. What Dovecot's sql userdb and passdb read (packaging/dovecot/*-pgsql*.conf),
        // in the same schema: the config row imaproot writes from [locations] and [state] on every
        // db init/upgrade (WriteDovecotSettings), and the two functions the snippets call, which read
        // the tables as their owner (SECURITY DEFINER, search_path pinned). Dovecot's login role is
        // made a member of the group role imaproot_dovecot, which may execute those two and nothing
        // else: it cannot read a table. docs/postgresql-notes-dovecot.md has the contract.
        """
        CREATE TABLE imaproot.dovecot_userdb (
            one_row boolean PRIMARY KEY DEFAULT true CHECK (one_row),
            default_state text NOT NULL CHECK (default_state IN ('legacy', 'migrated')),
            migrated_from_uid bigint CHECK (migrated_from_uid >= 0),
            legacy_fields text CHECK (legacy_fields !~ '[\r\n]'),
            migrated_fields text NOT NULL CHECK (migrated_fields !~ '[\r\n]'),
            migrating_reason text NOT NULL CHECK (migrating_reason !~ '[\r\n]')
        );
        -- A user's state: the listed one, else [state] default, or migrated at or above
        -- migrated-from-uid (uid: what the system userdb before the sql one found).
        CREATE FUNCTION imaproot.state_of(for_user text, uid text) RETURNS text
        LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
          SELECT COALESCE(
            (SELECT u.state FROM imaproot.user_state u WHERE u.user_name = for_user),
            (SELECT CASE WHEN d.default_state = 'legacy' AND d.migrated_from_uid IS NOT NULL
                              AND uid ~ '^[0-9]{1,18}$' AND uid::bigint >= d.migrated_from_uid
                         THEN 'migrated' ELSE d.default_state END
               FROM imaproot.dovecot_userdb d))
        $$;
        -- A location's fields for one user. User names hold no '%' or '{' (Dovecot's default
        -- auth_username_chars), so the user's name goes in last and is never scanned again.
        CREATE FUNCTION imaproot.expand(template text, for_user text, home text) RETURNS text
        LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
          SELECT replace(replace(replace(replace(replace(replace(template,
                   '%%', chr(1)),
                   '%{home}', home),
                   '%{domain}', CASE WHEN strpos(for_user, '@') > 0 THEN substr(for_user, strpos(for_user, '@') + 1) ELSE '' END),
                   '%{username}', split_part(for_user, '@', 1)),
                   '%{user}', for_user),
                   chr(1), '%')
        $$;
        -- The userdb's answer: always one row. userdb_import carries the location's fields (NULL:
        -- none, Dovecot's own location); tempfail and reason fail the lookup temporarily. No config
        -- row is a temporary failure too: never a root the admin did not choose.
        CREATE FUNCTION imaproot.userdb(for_user text, uid text, home text)
        RETURNS TABLE (userdb_import text, tempfail text, reason text)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
          SELECT imaproot.expand(CASE WHEN s.state = 'legacy' THEN d.legacy_fields WHEN s.state = 'migrated' THEN d.migrated_fields END, for_user, home),
                 CASE WHEN d.one_row IS NULL OR s.state = 'migrating' THEN 'yes' END,
                 CASE WHEN d.one_row IS NULL THEN 'imaproot.dovecot_userdb is empty: run imaproot db upgrade'
                      WHEN s.state = 'migrating' THEN d.migrating_reason END
            FROM (VALUES (imaproot.state_of(for_user, uid))) AS s(state)
            LEFT JOIN imaproot.dovecot_userdb d ON true
        $$;
        -- The refusal passdb's answer: a row only for a user being migrated. A passdb query must
        -- return a password column (2.3 passdb-sql.c); NULL with nopassword accepts the password the
        -- passdb before it checked.
        CREATE FUNCTION imaproot.refusal(for_user text, protocol text)
        RETURNS TABLE (password text, nopassword text, nodelay text, reason text)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
          SELECT NULL::text, 'yes', 'yes',
                 CASE WHEN protocol = 'pop3' THEN '[SYS/TEMP] ' ELSE '[UNAVAILABLE] ' END || d.migrating_reason
            FROM imaproot.dovecot_userdb d
           WHERE EXISTS (SELECT 1 FROM imaproot.user_state u WHERE u.user_name = for_user AND u.state = 'migrating')
        $$;
        DO $$ BEGIN
          IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'imaproot_dovecot') THEN
            CREATE ROLE imaproot_dovecot NOLOGIN;
          END IF;
        END $$;
        REVOKE ALL ON SCHEMA imaproot FROM PUBLIC;
        REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA imaproot FROM PUBLIC;
        GRANT USAGE ON SCHEMA imaproot TO imaproot_dovecot;
        GRANT EXECUTE ON FUNCTION imaproot.userdb(text, text, text), imaproot.refusal(text, text) TO imaproot_dovecot;
        """,

        // Version 3. Whether the state file imported ended with a newline, so that state export gives
        // it back byte for byte (every other byte is in user_state.file_line and state_file_comment).
        """
        CREATE TABLE imaproot.state_file (
            one_row boolean PRIMARY KEY DEFAULT true CHECK (one_row),
            final_newline boolean NOT NULL
        );
        INSERT INTO imaproot.state_file (final_newline) VALUES (true);
        """,

        // Version 4. The two functions Dovecot calls, in PL/pgSQL with the same arguments and
        // answers: SQL functions with SECURITY DEFINER and a SET clause are never inlined, so every
        // call planned their bodies afresh (0.7-1.4 ms a lookup); PL/pgSQL keeps each statement's
        // plan for the session, which is Dovecot's long-lived connection (0.12-0.15 ms; measured by
        // bench/pgsql-userdb.sh). CREATE OR REPLACE keeps their owner and grants.
        """
        CREATE OR REPLACE FUNCTION imaproot.userdb(for_user text, uid text, home text)
        RETURNS TABLE (userdb_import text, tempfail text, reason text)
        LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
        DECLARE
          d imaproot.dovecot_userdb%ROWTYPE;
          s text;
          template text;
        BEGIN
          SELECT * INTO d FROM imaproot.dovecot_userdb;
          IF NOT FOUND THEN
            RETURN QUERY SELECT NULL::text, 'yes'::text, 'imaproot.dovecot_userdb is empty: run imaproot db upgrade'::text;
            RETURN;
          END IF;
          SELECT u.state INTO s FROM imaproot.user_state u WHERE u.user_name = for_user;
          IF NOT FOUND THEN
            s := CASE WHEN d.default_state = 'legacy' AND d.migrated_from_uid IS NOT NULL
                           AND uid ~ '^[0-9]{1,18}$' AND uid::bigint >= d.migrated_from_uid
                      THEN 'migrated' ELSE d.default_state END;
          END IF;
          IF s = 'migrating' THEN
            RETURN QUERY SELECT NULL::text, 'yes'::text, d.migrating_reason;
            RETURN;
          END IF;
          template := CASE WHEN s = 'legacy' THEN d.legacy_fields ELSE d.migrated_fields END;
          RETURN QUERY SELECT replace(replace(replace(replace(replace(replace(template,
                   '%%', chr(1)),
                   '%{home}', home),
                   '%{domain}', CASE WHEN strpos(for_user, '@') > 0 THEN substr(for_user, strpos(for_user, '@') + 1) ELSE '' END),
                   '%{username}', split_part(for_user, '@', 1)),
                   '%{user}', for_user),
                   chr(1), '%'), NULL::text, NULL::text;
        END $$;
        CREATE OR REPLACE FUNCTION imaproot.refusal(for_user text, protocol text)
        RETURNS TABLE (password text, nopassword text, nodelay text, reason text)
        LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
        BEGIN
          RETURN QUERY SELECT NULL::text, 'yes'::text, 'yes'::text,
                 CASE WHEN protocol = 'pop3' THEN '[SYS/TEMP] ' ELSE '[UNAVAILABLE] ' END || d.migrating_reason
            FROM imaproot.dovecot_userdb d
           WHERE EXISTS (SELECT 1 FROM imaproot.user_state u WHERE u.user_name = for_user AND u.state = 'migrating');
        END $$;
        """,

        // Version 5. Named target locations (issue 22): a user's state may name a target of
        // [locations] (TargetLocations.NameProblem's rule; the built-in three match it too), whose
        // fields imaproot writes beside the dovecot_userdb row on every db init/upgrade, in the same
        // format. userdb() answers a target user with the target's fields; a state naming no target
        // fails the lookup for now, naming it: never another root. Still PL/pgSQL, its plans cached.
        """
        ALTER TABLE imaproot.user_state DROP CONSTRAINT user_state_state_check;
        ALTER TABLE imaproot.user_state ADD CONSTRAINT user_state_state_check CHECK (state ~ '^[a-z][a-z0-9-]{0,31}$');
        CREATE TABLE imaproot.target_location (
            name text PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9-]{0,31}$' AND name NOT IN ('legacy', 'migrated', 'migrating')),
            fields text NOT NULL CHECK (fields !~ '[\r\n]'),
            config_order integer NOT NULL
        );
        CREATE OR REPLACE FUNCTION imaproot.userdb(for_user text, uid text, home text)
        RETURNS TABLE (userdb_import text, tempfail text, reason text)
        LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
        DECLARE
          d imaproot.dovecot_userdb%ROWTYPE;
          s text;
          template text;
        BEGIN
          SELECT * INTO d FROM imaproot.dovecot_userdb;
          IF NOT FOUND THEN
            RETURN QUERY SELECT NULL::text, 'yes'::text, 'imaproot.dovecot_userdb is empty: run imaproot db upgrade'::text;
            RETURN;
          END IF;
          SELECT u.state INTO s FROM imaproot.user_state u WHERE u.user_name = for_user;
          IF NOT FOUND THEN
            s := CASE WHEN d.default_state = 'legacy' AND d.migrated_from_uid IS NOT NULL
                           AND uid ~ '^[0-9]{1,18}$' AND uid::bigint >= d.migrated_from_uid
                      THEN 'migrated' ELSE d.default_state END;
          END IF;
          IF s = 'migrating' THEN
            RETURN QUERY SELECT NULL::text, 'yes'::text, d.migrating_reason;
            RETURN;
          ELSIF s = 'legacy' THEN
            template := d.legacy_fields;
          ELSIF s = 'migrated' THEN
            template := d.migrated_fields;
          ELSE
            SELECT t.fields INTO template FROM imaproot.target_location t WHERE t.name = s;
            IF NOT FOUND THEN
              RETURN QUERY SELECT NULL::text, 'yes'::text,
                ('the state ' || s || ' names no target location in imaproot.target_location: add it to [locations] and run imaproot db upgrade')::text;
              RETURN;
            END IF;
          END IF;
          RETURN QUERY SELECT replace(replace(replace(replace(replace(replace(template,
                   '%%', chr(1)),
                   '%{home}', home),
                   '%{domain}', CASE WHEN strpos(for_user, '@') > 0 THEN substr(for_user, strpos(for_user, '@') + 1) ELSE '' END),
                   '%{username}', split_part(for_user, '@', 1)),
                   '%{user}', for_user),
                   chr(1), '%'), NULL::text, NULL::text;
        END $$;
        """,
        // Version 6. A scheduled conversion (issue 22): the target its user's mail goes to; NULL for
        // the root move, as every row before.
        """
        ALTER TABLE imaproot.schedule ADD COLUMN target text CHECK (target ~ '^[a-z][a-z0-9-]{0,31}$');
        """,
    ];

    /// <summary>
    /// <c>imaproot db init</c>: creates the schema in a database that has none; a database already
    /// at <see cref="Current"/> is left as it is. An older schema is left for <see cref="Upgrade"/>.
    /// With <paramref name="dovecot"/>, its row replaces the one Dovecot's sql userdb reads, in the same transaction.
    /// </summary>
    /// <exception cref="SchemaTooNewException">The database's schema is newer than <see cref="Current"/>.</exception>
    /// <exception cref="StateDatabaseException">The schema is older, or the server failed.</exception>
    public static SchemaChange Init(StateDatabase database, SqlUserdbSettings? dovecot = null, string? dovecotRole = null) => Apply(database, initOnly: true, dovecot, dovecotRole);

    /// <summary>
    /// <c>imaproot db upgrade</c>: brings the schema, or its absence, to <see cref="Current"/>; with
    /// <paramref name="dovecot"/>, its row replaces the one Dovecot's sql userdb reads, in the same transaction.
    /// </summary>
    /// <exception cref="SchemaTooNewException">The database's schema is newer than <see cref="Current"/>.</exception>
    /// <exception cref="StateDatabaseException">The server failed.</exception>
    public static SchemaChange Upgrade(StateDatabase database, SqlUserdbSettings? dovecot = null, string? dovecotRole = null) => Apply(database, initOnly: false, dovecot, dovecotRole);

    /// <summary>The database's version (0: no schema), read without changing anything.</summary>
    public static int VersionOf(NpgsqlConnection connection, NpgsqlTransaction? transaction = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (transaction is null)
        {
            // One round trip on every command's first connection: a missing table is the answer
            // "no schema". Inside a transaction an error would abort it, hence the two steps below.
            using var read = new NpgsqlCommand("SELECT version FROM imaproot.schema_version", connection);
            try
            {
                return read.ExecuteScalar() is int current ? current : 0;
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName)
            {
                return 0;
            }
        }
        using var exists = new NpgsqlCommand("SELECT to_regclass('imaproot.schema_version') IS NOT NULL", connection, transaction);
        if (!(bool)exists.ExecuteScalar()!)
            return 0;
        using var version = new NpgsqlCommand("SELECT version FROM imaproot.schema_version", connection, transaction);
        return version.ExecuteScalar() is int found ? found : 0;
    }

    /// <summary>Refuses a database whose schema this imaproot does not read and write as it is.</summary>
    /// <exception cref="StateDatabaseException">No schema, an older one (db upgrade), or a newer one.</exception>
    public static void RequireCurrent(StateDatabase database, NpgsqlConnection connection)
    {
        ArgumentNullException.ThrowIfNull(database);
        int version = database.Run(() => VersionOf(connection));
        if (version == Current)
            return;
        string where = $"{database.Settings.Source}: the {database.Settings.Describe()}";
        throw new StateDatabaseException(version == 0
            ? $"{where} holds no imaproot schema: run imaproot db init"
            : $"{where} holds imaproot schema version {version}, this imaproot reads {Current}: {(version < Current ? "run imaproot db upgrade" : "use the imaproot that wrote it, or a newer one")}");
    }

    private static void WriteDovecotSettings(NpgsqlConnection connection, NpgsqlTransaction transaction, SqlUserdbSettings dovecot)
    {
        using (var clear = new NpgsqlCommand("DELETE FROM imaproot.dovecot_userdb", connection, transaction))
            clear.ExecuteNonQuery();
        using var write = new NpgsqlCommand(
            "INSERT INTO imaproot.dovecot_userdb (default_state, migrated_from_uid, legacy_fields, migrated_fields, migrating_reason) VALUES ($1, $2, $3, $4, $5)",
            connection, transaction);
        write.Parameters.Add(new NpgsqlParameter<string> { TypedValue = dovecot.DefaultState.ToName() });
        write.Parameters.Add(dovecot.MigratedFromUid is uint uid ? new NpgsqlParameter<long> { TypedValue = uid } : new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint });
        write.Parameters.Add(dovecot.LegacyFields is { } legacy ? new NpgsqlParameter<string> { TypedValue = legacy } : new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        write.Parameters.Add(new NpgsqlParameter<string> { TypedValue = dovecot.MigratedFields });
        write.Parameters.Add(new NpgsqlParameter<string> { TypedValue = dovecot.MigratingReason });
        write.ExecuteNonQuery();
        using (var clearTargets = new NpgsqlCommand("DELETE FROM imaproot.target_location", connection, transaction))
            clearTargets.ExecuteNonQuery();
        if (dovecot.Targets.Count == 0)
            return;
        using var targets = new NpgsqlCommand(
            "INSERT INTO imaproot.target_location (name, fields, config_order) SELECT * FROM unnest($1::text[], $2::text[]) WITH ORDINALITY",
            connection, transaction);
        targets.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. dovecot.Targets.Select(t => t.Key)] });
        targets.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. dovecot.Targets.Select(t => t.Value)] });
        targets.ExecuteNonQuery();
    }

    private static SchemaChange Apply(StateDatabase database, bool initOnly, SqlUserdbSettings? dovecot, string? dovecotRole)
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
            if (dovecot is not null)
                WriteDovecotSettings(connection, transaction, dovecot);
            bool? granted = dovecotRole is null ? null : DovecotRole.Grant(connection, transaction, dovecotRole, where);
            transaction.Commit();
            return new SchemaChange(found, Math.Max(found, Current), granted);
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
