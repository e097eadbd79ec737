using System.Text;
using DovecotRootHelper.State;
using Npgsql;
using NpgsqlTypes;

namespace DovecotRootHelper.PostgreSql;

/// <summary>
/// <c>imaproot state import</c> and <c>state export</c>: a site's state file (and schedule) into
/// the database and back, byte for byte: every line keeps its place (<c>file_order</c> is its line
/// number), a user's line is kept as written until a change rewrites it, comment and blank lines
/// are kept between them, and whether the file ended with a newline.
/// </summary>
public static class StateTransfer
{
    /// <summary>How many users and comment lines an import wrote.</summary>
    public sealed record Imported(int Users, int Comments, int Scheduled);

    /// <summary>
    /// Replaces the database's users, comment lines and (when given) schedule with the file's, in
    /// one transaction under the state-change lock, so that nothing is half imported. Refuses a
    /// database that lists users already unless <paramref name="replace"/>.
    /// </summary>
    /// <exception cref="StateDatabaseException">The database failed, or lists users and <paramref name="replace"/> is false.</exception>
    public static Imported Import(StateDatabase database, StateFileContents contents, IReadOnlyList<ScheduledMigration>? schedule, bool replace)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(contents);
        if (!contents.IsValid)
            throw new ArgumentException("a state file with problems is never imported", nameof(contents));
        string[] lines = LinesOf(contents.Bytes.Span, out bool finalNewline);
        var users = new Dictionary<int, StateEntry>();
        foreach (StateEntry entry in contents.Entries)
            users[entry.Line] = entry;
        using NpgsqlConnection connection = database.Open();
        StateSchema.RequireCurrent(database, connection);
        return database.Run(() =>
        {
            using NpgsqlTransaction transaction = connection.BeginTransaction();
            Execute(connection, transaction, $"SELECT pg_advisory_xact_lock({AdvisoryLocks.Site}, {AdvisoryLocks.StateChange})");
            long listed = (long)Scalar(connection, transaction, "SELECT count(*) FROM imaproot.user_state")!;
            if (listed > 0 && !replace)
                throw new StateDatabaseException($"{database.Settings.Source}: the {database.Settings.Describe()} lists {listed} user(s) already: nothing was imported; --replace replaces them with the file's");
            Execute(connection, transaction, "DELETE FROM imaproot.user_state; DELETE FROM imaproot.state_file_comment");
            int comments = 0;
            using (NpgsqlBinaryImporter copy = connection.BeginBinaryImport("COPY imaproot.user_state (user_name, state, note, file_order, file_line) FROM STDIN (FORMAT BINARY)"))
            {
                foreach (StateEntry entry in contents.Entries)
                {
                    copy.StartRow();
                    copy.Write(entry.User, NpgsqlDbType.Text);
                    copy.Write(entry.State.ToName(), NpgsqlDbType.Text);
                    copy.Write(entry.Note, NpgsqlDbType.Text);
                    copy.Write((long)entry.Line, NpgsqlDbType.Bigint);
                    copy.Write(lines[entry.Line - 1], NpgsqlDbType.Text);
                }
                copy.Complete();
            }
            using (NpgsqlBinaryImporter copy = connection.BeginBinaryImport("COPY imaproot.state_file_comment (file_order, line) FROM STDIN (FORMAT BINARY)"))
            {
                for (int i = 0; i < lines.Length; i++)
                {
                    if (users.ContainsKey(i + 1))
                        continue;
                    copy.StartRow();
                    copy.Write((long)(i + 1), NpgsqlDbType.Bigint);
                    copy.Write(lines[i], NpgsqlDbType.Text);
                    comments++;
                }
                copy.Complete();
            }
            using (var ending = new NpgsqlCommand("UPDATE imaproot.state_file SET final_newline = $1", connection, transaction))
            {
                ending.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = finalNewline });
                ending.ExecuteNonQuery();
            }
            if (schedule is not null)
            {
                Execute(connection, transaction, "DELETE FROM imaproot.schedule");
                using NpgsqlBinaryImporter copy = connection.BeginBinaryImport("COPY imaproot.schedule (user_name, due_at, notify, target) FROM STDIN (FORMAT BINARY)");
                foreach (ScheduledMigration scheduled in schedule)
                {
                    copy.StartRow();
                    copy.Write(scheduled.User, NpgsqlDbType.Text);
                    copy.Write(DateTime.SpecifyKind(scheduled.At, DateTimeKind.Utc), NpgsqlDbType.TimestampTz);
                    copy.Write(scheduled.Notify, NpgsqlDbType.Boolean);
                    if (scheduled.To is null)
                        copy.WriteNull();
                    else
                        copy.Write(scheduled.To, NpgsqlDbType.Text);
                }
                copy.Complete();
            }
            transaction.Commit();
            return new Imported(contents.Entries.Count, comments, schedule?.Count ?? 0);
        });
    }

    /// <summary>The state file the database holds: each line in its place, a changed user's line as imaproot writes it.</summary>
    /// <exception cref="StateDatabaseException">The database failed.</exception>
    public static byte[] Export(StateDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        using NpgsqlConnection connection = database.Open();
        StateSchema.RequireCurrent(database, connection);
        return database.Run(() =>
        {
            // One snapshot: a set committed meanwhile is wholly in or wholly out.
            using NpgsqlTransaction transaction = connection.BeginTransaction(System.Data.IsolationLevel.RepeatableRead);
            bool finalNewline = (bool)Scalar(connection, transaction, "SELECT final_newline FROM imaproot.state_file")!;
            using var command = new NpgsqlCommand(
                "SELECT file_order, COALESCE(file_line, user_name || E'\\t' || state || CASE WHEN note = '' THEN '' ELSE E'\\t' || note END) FROM imaproot.user_state " +
                "UNION ALL SELECT file_order, line FROM imaproot.state_file_comment ORDER BY 1",
                connection, transaction);
            using NpgsqlDataReader reader = command.ExecuteReader();
            var text = new StringBuilder();
            bool first = true;
            while (reader.Read())
            {
                if (!first)
                    text.Append('\n');
                text.Append(reader.GetString(1));
                first = false;
            }
            if (!first && finalNewline)
                text.Append('\n');
            return Encoding.UTF8.GetBytes(text.ToString());
        });
    }

    /// <summary>The database's schedule, for an export to the schedule file.</summary>
    public static IReadOnlyList<ScheduledMigration> Schedule(StateDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        using PostgresSchedule schedule = PostgresSchedule.Lock(database);
        return [.. schedule.Entries];
    }

    // The file's lines without their newlines; a last line without one is a line too.
    private static string[] LinesOf(ReadOnlySpan<byte> bytes, out bool finalNewline)
    {
        string text = Encoding.UTF8.GetString(bytes);
        finalNewline = text.Length > 0 && text[^1] == '\n';
        if (text.Length == 0)
            return [];
        string[] lines = text.Split('\n');
        return finalNewline ? lines[..^1] : lines;
    }

    private static void Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        command.ExecuteNonQuery();
    }

    private static object? Scalar(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        return command.ExecuteScalar();
    }
}
