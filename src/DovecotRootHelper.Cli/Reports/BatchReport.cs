namespace DovecotRootHelper.Cli.Reports;

/// <summary>
/// imaproot migrate of several users --json, and the report kept in the journal directory; start and
/// end to the millisecond, <c>Seconds</c> the time between the two as written.
/// </summary>
internal sealed record BatchReport(string Started, string Finished, double Seconds, int Migrated, int Failed, string? KeptAt, IReadOnlyList<BatchOutcome> Results);

/// <summary>
/// One user of a batch: <c>State</c> migrated, or <c>Error</c> set (the user is back at legacy with
/// nothing moved, unless the error says otherwise); bytes are those of the mbox files renamed one
/// by one (a folder moved whole counts as a step, not in bytes).
/// </summary>
internal sealed record BatchOutcome(
    string User,
    string? State,
    string? Error,
    int Mailboxes,
    long BytesMoved,
    int StepsDone,
    int StepCount,
    double Seconds,
    double LoginsRefusedSeconds,
    IReadOnlyList<string> Messages);
