using DovecotRootHelper.Durability;
using DovecotRootHelper.Posix;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Migration;

/// <summary>
/// One user migrated on their own (<c>imaproot migrate USER</c>): admitted, logins refused,
/// planned again, journaled, moved and verified, flipped to migrated, agreed by Dovecot. Unlike a
/// batch member, a user whose moves fail is left migrating with the journal, for the administrator
/// to resume or roll back (ARCHITECTURE.md says why).
/// </summary>
internal sealed class SingleMigration(MigrationPhases phases)
{
    public MigrationResult Migrate(UnixAccount account, MailboxSelection selection)
    {
        using IDisposable userLock = phases.Lock(account.Name);
        phases.Admit(account, selection);
        return Execute(account, selection);
    }

    /// <summary>From refusing logins on: also what resume does for a user left migrating before any journal.</summary>
    public MigrationResult Execute(UnixAccount account, MailboxSelection selection)
    {
        var messages = new List<string>();
        phases.Logins.Refuse(account, messages, "nothing moved");

        // Sessions were open until now and may have changed the tree: decide again on what is there now.
        MigrationPlan fresh = phases.Planner.Plan(account, selection, allowMigrating: true);
        if (!fresh.CanExecute)
        {
            phases.States.Set(account.Name, UserState.Legacy);
            MigrationPlanner.RequireExecutable(fresh);
        }
        Journal journal = Journal.Create(phases.Config.Migration.JournalDirectory, fresh);
        CrashPoint.Reached("after-journal");
        return Forward(journal, account, messages);
    }

    /// <summary>From the journal on, logins refused: the steps, the flip to migrated, Dovecot's agreement.</summary>
    public MigrationResult Forward(Journal journal, UnixAccount account, List<string> messages)
    {
        MigrationPlan plan = journal.Plan;
        messages.AddRange(phases.Steps.Forward(journal));
        phases.States.Set(plan.User, UserState.Migrated);
        CrashPoint.Reached("after-migrated");
        phases.Completion.Complete(journal, account, messages);
        return phases.Finish(plan, UserState.Migrated, plan.Steps.Count, messages, "migrated");
    }
}
