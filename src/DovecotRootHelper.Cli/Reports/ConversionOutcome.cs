namespace DovecotRootHelper.Cli.Reports;

/// <summary>
/// How one user's convert, finalize, or conversion resume or rollback ended: the state, what was
/// done, the messages Dovecot counts at the target, the seconds of the copy while online, of the
/// cut-over, and of refused logins; <c>Error</c> is set when it failed.
/// </summary>
internal sealed record ConversionOutcome(
    string User, string? State, string? What, long Messages, double PreSyncSeconds, double CutOverSeconds, double RefusedSeconds, IReadOnlyList<string> Notes, string? Error);
