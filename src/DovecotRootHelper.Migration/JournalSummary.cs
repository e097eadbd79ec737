namespace DovecotRootHelper.Migration;

/// <summary>What a user's journal says: for <c>imaproot status</c>, and to refuse <c>imaproot set</c> while one is pending.</summary>
public sealed record JournalSummary(string User, string Path, string Phase, int StepsDone, int StepCount, bool RollingBack)
{
    /// <summary>A complete migration's journal is kept for rollback but is not pending.</summary>
    public bool IsPending => Phase != JournalPhase.Complete;
}
