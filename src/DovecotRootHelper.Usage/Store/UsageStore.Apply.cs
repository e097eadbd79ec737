using DovecotRootHelper.Usage.Logs;

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
        + "ON CONFLICT(user, pattern, command) DO UPDATE SET full_tree = max(full_tree, excluded.full_tree), count = count + excluded.count, "
        // Saturating (both are never negative): SQLite turns an overflowing integer sum into a float.
        + "running_usecs = CASE WHEN running_usecs > 9223372036854775807 - excluded.running_usecs THEN 9223372036854775807 ELSE running_usecs + excluded.running_usecs END, "
        + "max_usecs = max(max_usecs, excluded.max_usecs), first_seen = min(first_seen, excluded.first_seen), last_seen = max(last_seen, excluded.last_seen)";

    // A name and everything below it: "a" and "a/...", never "ab".
    private const string Subtree = "user = $user AND (mailbox = $from OR substr(mailbox, 1, length($from) + 1) = $from || '/')";
    private const string Renamed = "$to || substr(mailbox, length($from) + 1)";

    // The changes first, in log order, to the rows held; then every sum (see UsageBatch). Each
    // statement is prepared once per commit.
    private void Apply(UsageBatch batch)
    {
        var changes = new Dictionary<string, Statement>(StringComparer.Ordinal);
        try
        {
            foreach (UsageEvent change in batch.Changes)
                ApplyChange(change, changes);
        }
        finally
        {
            foreach (Statement statement in changes.Values)
                statement.Dispose();
        }
        using var use = new Statement(_connection, UpsertUse, "$user", "$name", "$count", "$first", "$last", "$c0", "$c1", "$c2", "$c3", "$c4", "$c5");
        using var list = new Statement(_connection, UpsertList, "$user", "$name", "$command", "$full", "$count", "$usecs", "$max", "$first", "$last");
        foreach (UsageBatch.UserSums sums in batch.Users)
        {
            use.Bind(1, sums.User);
            foreach ((string name, UsageBatch.Totals totals) in sums.Uses)
            {
                use.Bind(2, name);
                use.Bind(3, totals.Count);
                use.Bind(4, totals.First);
                use.Bind(5, totals.Last);
                for (int i = 0; i < UsageColumns.Commands.Length; i++)
                    use.Bind(6 + i, totals.Commands[i]);
                use.Run();
            }
            list.Bind(1, sums.User);
            foreach (((string pattern, string command), UsageBatch.Totals totals) in sums.Lists)
            {
                list.Bind(2, pattern);
                list.Bind(3, command);
                list.Bind(4, totals.FullTree ? 1 : 0);
                list.Bind(5, totals.Count);
                list.Bind(6, totals.Usecs);
                list.Bind(7, totals.MaxUsecs);
                list.Bind(8, totals.First);
                list.Bind(9, totals.Last);
                list.Run();
            }
        }
    }

    private Statement Change(Dictionary<string, Statement> prepared, string sql)
    {
        if (!prepared.TryGetValue(sql, out Statement? statement))
        {
            statement = new Statement(_connection, sql, "$user", "$from", "$to", "$time");
            prepared.Add(sql, statement);
        }
        return statement;
    }

    private void ApplyChange(UsageEvent change, Dictionary<string, Statement> prepared)
    {
        void Run(string sql)
        {
            Statement statement = Change(prepared, sql);
            statement.Bind(1, change.User);
            statement.Bind(2, change.Name);
            statement.Bind(3, change.NewName);
            statement.Bind(4, change.Time);
            statement.Run();
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
}
