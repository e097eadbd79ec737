using DovecotRootHelper.Usage.Store;

namespace DovecotRootHelper.Usage.Candidates;

/// <summary>
/// A legacy user and what their $HOME root costs the server: full-tree LISTs from the logs (how
/// many, how long), the entries each such LIST walks, and the index directories Dovecot made for
/// things that are not mail. <see cref="Cost"/> orders them: every full-tree LIST walks the whole
/// root, so its count times the root's entries is the work the root causes.
/// </summary>
public sealed record Candidate(string User, string Root, ListUsage Lists, RootFootprint Footprint)
{
    /// <summary>Below this many entries, with no full-tree LIST and no index for non-mail, a root is harmless.</summary>
    public const int HarmlessEntries = 1_000;

    public long Cost => (Lists.FullTreeLists * Footprint.Entries) + (Footprint.NonMailIndexes * 10) + (Lists.FullTreeUsecs / 1000);

    public bool IsHarmless => Lists.FullTreeLists == 0 && Footprint.NonMailIndexes == 0 && Footprint.Entries < HarmlessEntries;

    /// <summary>Why the row is where it is, in the administrator's words.</summary>
    public IReadOnlyList<string> Reasons()
    {
        var reasons = new List<string>();
        if (Lists.FullTreeLists > 0)
            reasons.Add($"{Lists.FullTreeLists} full-tree LIST(s) in the logs, {Lists.FullTreeUsecs / 1000} ms in all, longest {Lists.MaxFullTreeUsecs / 1000} ms");
        else
            reasons.Add("no full-tree LIST in the logs");
        reasons.Add($"a LIST of the root walks {(Footprint.EntriesCapped ? "at least " : "")}{Footprint.Entries} file(s) and director(ies)");
        if (Footprint.NonMailIndexes > 0)
            reasons.Add($"{Footprint.NonMailIndexes} of {(Footprint.IndexesCapped ? "at least " : "")}{Footprint.Indexes} index director(ies) in .imap are for things that are not mail");
        return reasons;
    }

    /// <summary>The most expensive first; harmless roots last.</summary>
    public static List<Candidate> Rank(IEnumerable<Candidate> candidates) =>
        [.. candidates.OrderBy(c => c.IsHarmless).ThenByDescending(c => c.Cost).ThenByDescending(c => c.Footprint.Entries).ThenBy(c => c.User, StringComparer.Ordinal)];
}
