using DovecotRootHelper.Usage.Logs;
using Microsoft.Data.Sqlite;

namespace DovecotRootHelper.Usage.Store;

public sealed partial class UsageStore
{
    private const string SumUse =
        "ON CONFLICT(user, mailbox) DO UPDATE SET count = count + excluded.count, "
        + "first_seen = min(first_seen, excluded.first_seen), last_seen = max(last_seen, excluded.last_seen), "
        + "selects = selects + excluded.selects, examines = examines + excluded.examines, statuses = statuses + excluded.statuses, "
        + "appends = appends + excluded.appends, copies = copies + excluded.copies, moves = moves + excluded.moves";

    private const string UseColumns = "user, mailbox, count, first_seen, last_seen, selects, examines, statuses, appends, copies, moves";

    private const string UpsertUse =
        $"INSERT INTO mailbox_use({UseColumns}) VALUES($user, $name, $count, $first, $last, $c0, $c1, $c2, $c3, $c4, $c5) " + SumUse;

    private const string UpsertList =
        "INSERT INTO list_use(user, pattern, command, full_tree, count, running_usecs, max_usecs, first_seen, last_seen) "
        + "VALUES($user, $name, $command, $full, $count, $usecs, $max, $first, $last) "
        + "ON CONFLICT(user, pattern, command) DO UPDATE SET full_tree = max(full_tree, excluded.full_tree), count = count + excluded.count, running_usecs = running_usecs + excluded.running_usecs, "
        + "max_usecs = max(max_usecs, excluded.max_usecs), first_seen = min(first_seen, excluded.first_seen), last_seen = max(last_seen, excluded.last_seen)";

    // A name and everything below it: "a" and "a/...", never "ab".
    private const string Subtree = "user = $user AND (mailbox = $from OR substr(mailbox, 1, length($from) + 1) = $from || '/')";
    private const string Renamed = "$to || substr(mailbox, length($from) + 1)";

    // The changes first, in log order, to the rows held; then every sum (see UsageBatch). Each
    // statement is prepared once per commit.
    private void Apply(UsageBatch batch, SqliteTransaction transaction)
    {
        var changes = new Dictionary<string, SqliteCommand>(StringComparer.Ordinal);
        try
        {
            foreach (UsageEvent change in batch.Changes)
                ApplyChange(change, sql => Change(changes, sql, transaction));
        }
        finally
        {
            foreach (SqliteCommand command in changes.Values)
                command.Dispose();
        }
        using SqliteCommand use = Prepared(UpsertUse, transaction, "$user", "$name", "$count", "$first", "$last", "$c0", "$c1", "$c2", "$c3", "$c4", "$c5");
        using SqliteCommand list = Prepared(UpsertList, transaction, "$user", "$name", "$command", "$full", "$count", "$usecs", "$max", "$first", "$last");
        foreach (UsageBatch.UserSums sums in batch.Users)
        {
            string user = sums.User;
            foreach ((string name, UsageBatch.Totals totals) in sums.Uses)
            {
                UsageColumns.Counts c = totals.Commands;
                Run(use, user, name, totals.Count, totals.First, totals.Last, c[0], c[1], c[2], c[3], c[4], c[5]);
            }
            foreach (((string pattern, string command), UsageBatch.Totals totals) in sums.Lists)
                Run(list, user, pattern, command, totals.FullTree ? 1 : 0, totals.Count, totals.Usecs, totals.MaxUsecs, totals.First, totals.Last);
        }
    }

    private SqliteCommand Change(Dictionary<string, SqliteCommand> prepared, string sql, SqliteTransaction transaction)
    {
        if (!prepared.TryGetValue(sql, out SqliteCommand? command))
        {
            command = Prepared(sql, transaction, "$user", "$from", "$to", "$time");
            prepared.Add(sql, command);
        }
        return command;
    }

    private static void ApplyChange(UsageEvent change, Func<string, SqliteCommand> statement)
    {
        void Run(string sql)
        {
            SqliteCommand command = statement(sql);
            command.Parameters[0].Value = change.User;
            command.Parameters[1].Value = change.Name;
            command.Parameters[2].Value = (object?)change.NewName ?? DBNull.Value;
            command.Parameters[3].Value = change.Time;
            command.ExecuteNonQuery();
        }

        switch (change.Kind)
        {
            case UsageEventKind.Created:
                Run("INSERT INTO mailbox_life(user, mailbox, created) VALUES($user, $from, $time) "
                    + "ON CONFLICT(user, mailbox) DO UPDATE SET created = excluded.created, "
                    + "deleted = CASE WHEN deleted <= excluded.created THEN NULL ELSE deleted END, "
                    + "renamed_to = CASE WHEN renamed_at <= excluded.created THEN NULL ELSE renamed_to END");
                break;
            case UsageEventKind.Deleted:
                Run("INSERT INTO mailbox_life(user, mailbox, deleted) VALUES($user, $from, $time) "
                    + "ON CONFLICT(user, mailbox) DO UPDATE SET deleted = excluded.deleted");
                break;
            case UsageEventKind.Renamed:
                // The history of the name and of everything below it moves to the new name; the old
                // name keeps a pointer to where it went.
                Run($"INSERT INTO mailbox_use({UseColumns}) SELECT user, {Renamed}, count, first_seen, last_seen, selects, examines, statuses, appends, copies, moves "
                    + $"FROM mailbox_use WHERE {Subtree} ORDER BY mailbox " + SumUse);
                Run($"DELETE FROM mailbox_use WHERE {Subtree}");
                Run($"INSERT INTO mailbox_life(user, mailbox, created, renamed_from) SELECT user, {Renamed}, created, mailbox "
                    + $"FROM mailbox_life WHERE {Subtree} ORDER BY mailbox "
                    + "ON CONFLICT(user, mailbox) DO UPDATE SET created = coalesce(excluded.created, created), renamed_from = excluded.renamed_from, deleted = NULL");
                Run("INSERT INTO mailbox_life(user, mailbox, renamed_from) VALUES($user, $to, $from) "
                    + "ON CONFLICT(user, mailbox) DO UPDATE SET renamed_from = excluded.renamed_from, deleted = NULL");
                Run($"UPDATE mailbox_life SET renamed_to = {Renamed}, renamed_at = $time WHERE {Subtree}");
                Run("INSERT INTO mailbox_life(user, mailbox, renamed_to, renamed_at) VALUES($user, $from, $to, $time) ON CONFLICT(user, mailbox) DO NOTHING");
                break;
        }
    }

    private SqliteCommand Prepared(string sql, SqliteTransaction transaction, params string[] names)
    {
        SqliteCommand command = Command(sql, transaction);
        foreach (string name in names)
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        return command;
    }

    private static void Run(SqliteCommand command, params object[] values)
    {
        for (int i = 0; i < values.Length; i++)
            command.Parameters[i].Value = values[i];
        command.ExecuteNonQuery();
    }
}
