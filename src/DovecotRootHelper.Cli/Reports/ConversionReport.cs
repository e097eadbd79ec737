namespace DovecotRootHelper.Cli.Reports;

/// <summary>
/// imaproot convert, finalize and a conversion's resume and rollback, --json: every user's outcome
/// and the totals (for several users, the batch's report).
/// </summary>
internal sealed record ConversionReport(IReadOnlyList<ConversionOutcome> Results, int Succeeded, int Failed, long Messages, double PreSyncSeconds, double LongestRefusedSeconds);
