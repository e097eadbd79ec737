namespace DovecotRootHelper.Cli.Reports;

/// <summary>imaproot candidates --json: legacy users, the costliest root first, harmless ones flagged.</summary>
internal sealed record CandidatesReport(int WindowDays, IReadOnlyList<CandidateRow> Users, IReadOnlyList<string> Notes);

/// <summary>One legacy user's root and why it ranks where it does.</summary>
internal sealed record CandidateRow(
    int Rank, string User, string Root, long Cost, bool Harmless, long FullTreeLists, long FullTreeMilliseconds, long LongestFullTreeMilliseconds,
    long Entries, bool EntriesCapped, long NonMailIndexes, IReadOnlyList<string> Reasons);
