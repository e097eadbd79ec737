using Microsoft.Data.Sqlite;

namespace DovecotRootHelper.Usage.Store;

public sealed partial class UsageStore
{
    /// <summary>Everything the logs say about the user's mailboxes, by on-disk name.</summary>
    public IReadOnlyList<MailboxUsage> Mailboxes(string user)
    {
        var result = new SortedDictionary<string, MailboxUsage>(StringComparer.Ordinal);
        using (SqliteCommand command = Command($"SELECT mailbox, count, first_seen, last_seen, {string.Join(", ", UsageColumns.Names)} FROM mailbox_use WHERE user = $user"))
        {
            command.Parameters.AddWithValue("$user", user);
            using SqliteDataReader reader = command.ExecuteReader();
            while (reader.Read())
            {
                var commands = new Dictionary<string, long>(StringComparer.Ordinal);
                for (int i = 0; i < UsageColumns.Commands.Length; i++)
                {
                    if (reader.GetInt64(4 + i) > 0)
                        commands[UsageColumns.Commands[i]] = reader.GetInt64(4 + i);
                }
                string mailbox = reader.GetString(0);
                result[mailbox] = new MailboxUsage(mailbox, reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), commands, null, null, null, null);
            }
        }
        using (SqliteCommand command = Command("SELECT mailbox, created, deleted, renamed_from, renamed_to FROM mailbox_life WHERE user = $user"))
        {
            command.Parameters.AddWithValue("$user", user);
            using SqliteDataReader reader = command.ExecuteReader();
            while (reader.Read())
            {
                string mailbox = reader.GetString(0);
                MailboxUsage usage = result.TryGetValue(mailbox, out MailboxUsage? found)
                    ? found
                    : new MailboxUsage(mailbox, 0, null, null, new Dictionary<string, long>(), null, null, null, null);
                result[mailbox] = usage with
                {
                    Created = Nullable(reader, 1),
                    Deleted = Nullable(reader, 2),
                    RenamedFrom = reader.IsDBNull(3) ? null : reader.GetString(3),
                    RenamedTo = reader.IsDBNull(4) ? null : reader.GetString(4),
                };
            }
        }
        return [.. result.Values];
    }

    /// <summary>Mailboxes the user used (a command named them, or they were created) at or after <paramref name="since"/>, and not deleted or renamed away since.</summary>
    public IReadOnlyList<string> MailboxesUsedSince(string user, long since) =>
        [.. Mailboxes(user).Where(m => !m.IsGone && Math.Max(m.LastSeen ?? long.MinValue, m.Created ?? long.MinValue) >= since).Select(m => m.Mailbox)];

    /// <summary>Every user's LISTs, the users with the most full-tree time first.</summary>
    public IReadOnlyList<ListUsage> Lists(long since)
    {
        using SqliteCommand command = Command(
            "SELECT user, sum(count), sum(CASE WHEN full_tree THEN count ELSE 0 END), "
            // running_usecs summed in two 32-bit halves, which cannot overflow a 64-bit sum (sum()
            // fails with "integer overflow"; total() is a float, inexact past 2^53), and joined by
            // FullTreeUsecs; total() only orders.
            + "sum(CASE WHEN full_tree THEN running_usecs >> 32 ELSE 0 END), sum(CASE WHEN full_tree THEN running_usecs & 4294967295 ELSE 0 END), "
            + "max(CASE WHEN full_tree THEN max_usecs ELSE 0 END), max(CASE WHEN full_tree THEN last_seen END) "
            + "FROM list_use WHERE last_seen >= $since GROUP BY user "
            + "ORDER BY total(CASE WHEN full_tree THEN running_usecs ELSE 0 END) DESC, 3 DESC, user");
        command.Parameters.AddWithValue("$since", since);
        using SqliteDataReader reader = command.ExecuteReader();
        var result = new List<ListUsage>();
        while (reader.Read())
            result.Add(new ListUsage(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), FullTreeUsecs(reader.GetInt64(3), reader.GetInt64(4)), reader.GetInt64(5), Nullable(reader, 6)));
        return result;
    }

    /// <summary>The files read so far, newest scan first.</summary>
    public IReadOnlyList<(string Path, long Offset, long Lines, long Events, long Malformed, bool Complete)> Files()
    {
        using SqliteCommand command = Command("SELECT path, offset, lines, events, malformed, complete FROM log_files ORDER BY scanned_at DESC, id DESC");
        using SqliteDataReader reader = command.ExecuteReader();
        var result = new List<(string, long, long, long, long, bool)>();
        while (reader.Read())
            result.Add((reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5) != 0));
        return result;
    }

    // The sum of the high and low halves, at most the largest 64-bit value.
    private static long FullTreeUsecs(long high, long low) => (long)Int128.Min(((Int128)high << 32) + low, long.MaxValue);

    private static long? Nullable(SqliteDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetInt64(column);
}
