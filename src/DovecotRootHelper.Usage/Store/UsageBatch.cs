using DovecotRootHelper.Usage.Logs;

namespace DovecotRootHelper.Usage.Store;

/// <summary>
/// Events read since the last commit, summed per user and mailbox (with a count per command). A create, delete or
/// rename closes the sums so far: the store applies them in log order, so that what was done with
/// a mailbox before its rename follows it to the new name.
/// </summary>
public sealed class UsageBatch
{
    private readonly List<Segment> _segments = [new()];

    public int Events { get; private set; }

    public bool IsEmpty => Events == 0;

    internal IReadOnlyList<Segment> Segments => _segments;

    public void Add(in UsageEvent e)
    {
        Events++;
        Segment current = _segments[^1];
        switch (e.Kind)
        {
            case UsageEventKind.Used:
                Sum(current.Uses, (e.User, e.Name), e.Time, 0).Commands[UsageColumns.Of(e.Command)]++;
                break;
            case UsageEventKind.Listed:
                ref Totals list = ref Sum(current.Lists, (e.User, e.Name, e.Command), e.Time, e.RunningUsecs);
                list.FullTree = e.FullTree;
                break;
            default:
                current.Change = e;
                _segments.Add(new Segment());
                break;
        }
    }

    public void Clear()
    {
        _segments.Clear();
        _segments.Add(new Segment());
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

    /// <summary>Sums over a stretch of the log, then the create, delete or rename that ended it (if any).</summary>
    internal sealed class Segment
    {
        public Dictionary<(string User, string Name), Totals> Uses { get; } = [];

        public Dictionary<(string User, string Pattern, string Command), Totals> Lists { get; } = [];

        public UsageEvent? Change { get; set; }
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
