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

    private void Apply(UsageBatch batch, SqliteTransaction transaction)
    {
        using SqliteCommand use = Prepared(UpsertUse, transaction, "$user", "$name", "$count", "$first", "$last", "$c0", "$c1", "$c2", "$c3", "$c4", "$c5");
        using SqliteCommand list = Prepared(UpsertList, transaction, "$user", "$name", "$command", "$full", "$count", "$usecs", "$max", "$first", "$last");
        foreach (UsageBatch.Step step in batch.Steps())
        {
            string user = step.Sums.User;
            foreach ((string name, UsageBatch.Totals totals) in step.Sums.Uses)
            {
                UsageColumns.Counts c = totals.Commands;
                Run(use, user, name, totals.Count, totals.First, totals.Last, c[0], c[1], c[2], c[3], c[4], c[5]);
            }
            foreach (((string pattern, string command), UsageBatch.Totals totals) in step.Sums.Lists)
                Run(list, user, pattern, command, totals.FullTree ? 1 : 0, totals.Count, totals.Usecs, totals.MaxUsecs, totals.First, totals.Last);
            if (step.Change is { } change)
                ApplyChange(change, transaction);
        }
    }

    private void ApplyChange(UsageEvent change, SqliteTransaction transaction)
    {
        switch (change.Kind)
        {
            case UsageEventKind.Created:
                Run(transaction,
                    "INSERT INTO mailbox_life(user, mailbox, created) VALUES($user, $from, $time) "
                    + "ON CONFLICT(user, mailbox) DO UPDATE SET created = excluded.created, "
                    + "deleted = CASE WHEN deleted <= excluded.created THEN NULL ELSE deleted END, "
                    + "renamed_to = CASE WHEN renamed_at <= excluded.created THEN NULL ELSE renamed_to END",
                    change);
                break;
            case UsageEventKind.Deleted:
                Run(transaction,
                    "INSERT INTO mailbox_life(user, mailbox, deleted) VALUES($user, $from, $time) "
                    + "ON CONFLICT(user, mailbox) DO UPDATE SET deleted = excluded.deleted",
                    change);
                break;
            case UsageEventKind.Renamed:
                // The history of the name and of everything below it moves to the new name; the old
                // name keeps a pointer to where it went.
                Run(transaction,
                    $"INSERT INTO mailbox_use({UseColumns}) SELECT user, {Renamed}, count, first_seen, last_seen, selects, examines, statuses, appends, copies, moves "
                    + $"FROM mailbox_use WHERE {Subtree} ORDER BY mailbox " + SumUse,
                    change);
                Run(transaction, $"DELETE FROM mailbox_use WHERE {Subtree}", change);
                Run(transaction,
                    $"INSERT INTO mailbox_life(user, mailbox, created, renamed_from) SELECT user, {Renamed}, created, mailbox "
                    + $"FROM mailbox_life WHERE {Subtree} ORDER BY mailbox "
                    + "ON CONFLICT(user, mailbox) DO UPDATE SET created = coalesce(excluded.created, created), renamed_from = excluded.renamed_from, deleted = NULL",
                    change);
                Run(transaction,
                    "INSERT INTO mailbox_life(user, mailbox, renamed_from) VALUES($user, $to, $from) "
                    + "ON CONFLICT(user, mailbox) DO UPDATE SET renamed_from = excluded.renamed_from, deleted = NULL",
                    change);
                Run(transaction,
                    $"UPDATE mailbox_life SET renamed_to = {Renamed}, renamed_at = $time WHERE {Subtree}",
                    change);
                Run(transaction,
                    "INSERT INTO mailbox_life(user, mailbox, renamed_to, renamed_at) VALUES($user, $from, $to, $time) ON CONFLICT(user, mailbox) DO NOTHING",
                    change);
                break;
        }
    }

    private void Run(SqliteTransaction transaction, string sql, UsageEvent change)
    {
        using SqliteCommand command = Command(sql, transaction);
        command.Parameters.AddWithValue("$user", change.User);
        command.Parameters.AddWithValue("$from", change.Name);
        command.Parameters.AddWithValue("$to", (object?)change.NewName ?? DBNull.Value);
        command.Parameters.AddWithValue("$time", change.Time);
        command.ExecuteNonQuery();
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
