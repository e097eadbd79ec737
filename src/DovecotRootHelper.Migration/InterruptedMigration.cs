using DovecotRootHelper.Posix;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Migration;

/// <summary>
/// A migration finished or undone from what it left: its journal (<c>imaproot resume</c>,
/// <c>resume --rollback</c>, <c>rollback</c>), or, with no journal, a user left migrating before
/// anything moved.
/// </summary>
internal sealed class InterruptedMigration(MigrationPhases phases, SingleMigration single)
{
    public MigrationResult Resume(UnixAccount account, bool rollback)
    {
        using IDisposable userLock = phases.Lock(account.Name);
        Journal? journal = phases.OpenJournal(account);
        if (journal is null)
            return WithoutJournal(account, rollback);
        if (rollback)
            return phases.Rollback.Run(journal, account);
        if (journal.Phase == JournalPhase.Complete)
            return new MigrationResult(account.Name, UserState.Migrated, journal.Plan, 0, ["the migration is already complete"]);
        if (journal.RollingBack)
            throw new MigrationException($"{account.Name}: a rollback was started from {journal.Path}; finish it with resume --rollback");
        var messages = new List<string>();
        phases.Logins.Refuse(account, messages, $"nothing more moved; the journal stays at {journal.Path}");
        return single.Forward(journal, account, messages);
    }

    public MigrationResult Rollback(UnixAccount account)
    {
        using IDisposable userLock = phases.Lock(account.Name);
        // The root move's rollback moves files back from the migrated root: a user converted since
        // has the mail elsewhere, and those files are gone after finalize.
        if (phases.States.Current(account) is { IsTarget: true } target)
            throw MigrationException.Refusal($"{account.Name}: is at {target.Name}: the root move cannot be undone under a conversion (imaproot rollback undoes the conversion until finalize)");
        Journal? journal = phases.OpenJournal(account);
        return journal is null ? WithoutJournal(account, rollback: true) : phases.Rollback.Run(journal, account);
    }

    // No journal: nothing was moved (the journal is written before the first move). A user left
    // migrating was stopped before that point.
    private MigrationResult WithoutJournal(UnixAccount account, bool rollback)
    {
        string user = account.Name;
        UserState state = phases.States.Current(account);
        if (state != UserState.Migrating)
            throw new MigrationException($"{user}: no journal in {phases.Config.Migration.JournalDirectory} and state {state.ToName()}: nothing to {(rollback ? "roll back" : "resume")}");
        if (!rollback)
        {
            MigrationPlanner.RequireExecutable(phases.Planner.Plan(account, MailboxSelection.None, allowMigrating: true));
            return single.Execute(account, MailboxSelection.None);
        }
        phases.States.Set(user, UserState.Legacy);
        MigrationPlan empty = new(user, 0, 0, "", "", "", [], [], [], []);
        return phases.Finish(empty, UserState.Legacy, 0, ["no journal: nothing had moved; state set back to legacy"], "rolled back");
    }
}
