using System.Diagnostics;

namespace DovecotRootHelper.Migration;

/// <summary>
/// Decides when the steps done so far are made durable and recorded: the directories they changed
/// are fsynced, then their journal records are appended and fsynced, every 1,000 steps or every
/// second, and before any phase. A migration of 100,000 mailboxes so costs a few hundred fsyncs
/// instead of three per step, and a crash redoes (as no-ops) at most one batch.
/// </summary>
internal sealed class DurableProgress(HomeTree tree, Journal journal)
{
    private const int BatchSteps = 1000;
    private static readonly TimeSpan BatchAge = TimeSpan.FromSeconds(1);

    private long _savedAt = Stopwatch.GetTimestamp();

    /// <summary>Called after each step's record; saves when the batch is full or old enough.</summary>
    public void StepRecorded()
    {
        if (journal.PendingSteps >= BatchSteps || Stopwatch.GetElapsedTime(_savedAt) >= BatchAge)
            Save();
    }

    public void Save()
    {
        tree.SyncChanges();
        journal.SavePending();
        _savedAt = Stopwatch.GetTimestamp();
    }

    /// <summary>After a step failed: saves what was done if it can; the step's own failure is what gets reported.</summary>
    public void SaveAfterFailure()
    {
        try
        {
            Save();
        }
        catch (IOException)
        {
            // The journal lags the tree; resume finds the unrecorded steps in place.
        }
    }
}
