using DovecotRootHelper.Usage.Logs;

namespace DovecotRootHelper.Usage.Store;

/// <summary>
/// Events read since the last commit, summed per user and mailbox (with a count per command) and
/// per user and LIST pattern. A create, delete or rename must be applied after what the same user
/// did before it and before what followed, so that what was done with a mailbox before its rename
/// follows it to the new name: it closes that user's sums (only theirs: other users' rows are not
/// touched by it, so their sums go on across it). The store applies the closed steps in log order,
/// then the open sums.
/// </summary>
public sealed class UsageBatch
{
    private readonly List<Step> _closed = [];
    private readonly Dictionary<string, UserSums> _open = new(StringComparer.Ordinal);

    public int Events { get; private set; }

    public bool IsEmpty => Events == 0;

    /// <summary>Closed sums and changes in log order, then every user's open sums.</summary>
    internal IEnumerable<Step> Steps() => _closed.Concat(_open.Values.Select(sums => new Step(sums, null)));

    public void Add(in UsageEvent e)
    {
        Events++;
        if (!_open.TryGetValue(e.User, out UserSums? sums))
        {
            sums = new UserSums(e.User);
            _open.Add(e.User, sums);
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
            default:
                _open.Remove(e.User);
                _closed.Add(new Step(sums, e));
                break;
        }
    }

    public void Clear()
    {
        _closed.Clear();
        _open.Clear();
        Events = 0;
    }

    private static ref Totals Sum<TKey>(Dictionary<TKey, Totals> sums, TKey key, long time, long usecs)
        where TKey : notnull
    {
        ref Totals totals = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(sums, key, out bool existed);
        if (!existed)
        {
            totals.First = time;
            totals.Last = time;
        }
        totals.Count++;
        totals.First = Math.Min(totals.First, time);
        totals.Last = Math.Max(totals.Last, time);
        totals.Usecs += usecs;
        totals.MaxUsecs = Math.Max(totals.MaxUsecs, usecs);
        return ref totals;
    }

    /// <summary>One user's sums over a stretch of the log, then the create, delete or rename that ended it (if any).</summary>
    internal sealed record Step(UserSums Sums, UsageEvent? Change);

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
