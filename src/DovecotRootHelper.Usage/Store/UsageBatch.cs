using System.Runtime.InteropServices;
using DovecotRootHelper.Usage.Logs;

namespace DovecotRootHelper.Usage.Store;

/// <summary>
/// Events read since the last commit: sums per user and mailbox (with a count per command) and per
/// user and LIST pattern, and the creates, deletes and renames in log order. The store applies the
/// changes to what it held, in order, then adds the sums. That equals applying every event in log
/// order because a rename is applied here too, at its place in the log: the sums of the renamed
/// mailbox and everything below it move to the new name (before the events after it are added), as
/// the store moves its rows. A rename moves rows by name and merges them into what is there, so
/// rename(held + sums) = rename(held) + rename(sums); creates and deletes touch only mailbox_life,
/// which no sum touches. So every key is written once per commit whatever the log's length.
/// </summary>
public sealed class UsageBatch
{
    private readonly Dictionary<string, UserSums> _users = new(StringComparer.Ordinal);
    private readonly List<UsageEvent> _changes = [];

    public int Events { get; private set; }

    public bool IsEmpty => Events == 0;

    /// <summary>Sums and changes held: what a commit writes, and what memory grows with.</summary>
    public int Keys { get; private set; }

    /// <summary>Creates, deletes and renames in log order, to apply before <see cref="Users"/>.</summary>
    internal IReadOnlyList<UsageEvent> Changes => _changes;

    internal IEnumerable<UserSums> Users => _users.Values;

    public void Add(in UsageEvent e)
    {
        Events++;
        if (!_users.TryGetValue(e.User, out UserSums? sums))
        {
            sums = new UserSums(e.User);
            _users.Add(e.User, sums);
        }
        switch (e.Kind)
        {
            case UsageEventKind.Used:
                Sum(sums.Uses, e.Name, e.Time, 0).Commands[UsageColumns.Of(e.Command)]++;
                break;
            case UsageEventKind.Listed:
                ref Totals list = ref Sum(sums.Lists, (e.Name, e.Command), e.Time, e.RunningUsecs);
                list.FullTree |= e.FullTree;
                break;
            case UsageEventKind.Renamed:
                _changes.Add(e);
                Keys++;
                int before = sums.Uses.Count;
                Rename(sums.Uses, e.Name, e.NewName!);
                Keys += sums.Uses.Count - before;
                break;
            default:
                _changes.Add(e);
                Keys++;
                break;
        }
    }

    public void Clear()
    {
        // The next stretch of the log mostly names the same users: the tables of those with sums in
        // this batch are kept, emptied, rather than built again; the others go (so there are never
        // more than one batch's users).
        foreach ((string user, UserSums sums) in _users)
        {
            if (sums.Uses.Count == 0 && sums.Lists.Count == 0)
            {
                _users.Remove(user);
                continue;
            }
            sums.Uses.Clear();
            sums.Lists.Clear();
        }
        _changes.Clear();
        Events = 0;
        Keys = 0;
    }

    private ref Totals Sum<TKey>(Dictionary<TKey, Totals> sums, TKey key, long time, long usecs)
        where TKey : notnull
    {
        ref Totals totals = ref CollectionsMarshal.GetValueRefOrAddDefault(sums, key, out bool existed);
        if (!existed)
        {
            totals.First = time;
            totals.Last = time;
            Keys++;
        }
        Add(ref totals, 1, time, time, usecs, usecs);
        return ref totals;
    }

    private static void Add(ref Totals totals, long count, long first, long last, long usecs, long maxUsecs)
    {
        totals.Count += count;
        totals.First = Math.Min(totals.First, first);
        totals.Last = Math.Max(totals.Last, last);
        // Saturating: a sum that wrapped would rank the costliest user last.
        totals.Usecs = usecs > long.MaxValue - totals.Usecs ? long.MaxValue : totals.Usecs + usecs;
        totals.MaxUsecs = Math.Max(totals.MaxUsecs, maxUsecs);
    }

    // What UsageStore's rename does to mailbox_use rows, done to the sums: every name in the subtree
    // of `from` gets `to` in place of `from` and is added to what the new name has; then the whole
    // subtree of `from` is gone (a new name inside it included, as the store's DELETE after its INSERT).
    private static void Rename(Dictionary<string, Totals> uses, string from, string to)
    {
        List<(string Name, Totals Totals)>? moved = null;
        foreach ((string name, Totals totals) in uses)
        {
            if (InSubtree(name, from))
                (moved ??= []).Add((name, totals));
        }
        if (moved is null)
            return;
        foreach ((string name, _) in moved)
            uses.Remove(name);
        foreach ((string name, Totals totals) in moved)
        {
            string renamed = to + name[from.Length..];
            if (InSubtree(renamed, from))
                continue;
            ref Totals target = ref CollectionsMarshal.GetValueRefOrAddDefault(uses, renamed, out bool existed);
            if (!existed)
            {
                target = totals;
                continue;
            }
            Add(ref target, totals.Count, totals.First, totals.Last, totals.Usecs, totals.MaxUsecs);
            for (int i = 0; i < UsageColumns.Commands.Length; i++)
                target.Commands[i] += totals.Commands[i];
        }
    }

    // The store's Subtree: the name itself and "name/...", never "names".
    private static bool InSubtree(string name, string root) =>
        name.StartsWith(root, StringComparison.Ordinal) && (name.Length == root.Length || name[root.Length] == '/');

    /// <summary>What one user did, per mailbox and per LIST pattern and command.</summary>
    internal sealed class UserSums(string user)
    {
        public string User { get; } = user;

        public Dictionary<string, Totals> Uses { get; } = new(StringComparer.Ordinal);

        public Dictionary<(string Pattern, string Command), Totals> Lists { get; } = [];
    }

    internal struct Totals
    {
        public long Count;
        public long First;
        public long Last;
        public long Usecs;
        public long MaxUsecs;
        public bool FullTree;
        public UsageColumns.Counts Commands;
    }
}
