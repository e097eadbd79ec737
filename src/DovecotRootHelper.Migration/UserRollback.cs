using DovecotRootHelper.Posix;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Migration;

/// <summary>
/// A migration undone from its journal, complete or not: logins refused and sessions closed, every
/// step undone (<see cref="JournaledSteps.Back"/>), the user legacy again, the journal removed.
/// </summary>
internal sealed class UserRollback(MigrationPhases phases)
{
    public MigrationResult Run(Journal journal, UnixAccount account)
    {
        MigrationPlan plan = journal.Plan;
        string user = plan.User;
        var messages = new List<string>();
        phases.Logins.Refuse(account, messages, $"nothing moved back; the journal stays at {journal.Path}");
        messages.AddRange(phases.Steps.Back(journal));
        phases.States.Set(user, UserState.Legacy);
        Forget(journal);
        phases.Flush(user, messages);
        return phases.Finish(plan, UserState.Legacy, plan.Steps.Count, messages, "rolled back");
    }

    /// <summary>Once the state says legacy again: the rollback is recorded and the journal removed, nothing being left to resume.</summary>
    public static void Forget(Journal journal)
    {
        journal.RecordPhase(JournalPhase.RolledBack);
        journal.Delete();
    }
}
