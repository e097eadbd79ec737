using DovecotRootHelper.Durability;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Migration;

public sealed partial class UserMigration
{
    /// <summary>Finishes an interrupted migration from its journal, or undoes it (<paramref name="rollback"/>).</summary>
    public MigrationResult Resume(string user, bool rollback)
    {
        using Posix.FileDescriptor userLock = LockUser(user);
        Journal? journal = OpenJournal(user);
        if (journal is null)
            return ResumeWithoutJournal(user, rollback);
        if (rollback)
            return RunBackward(journal);
        if (journal.Phase == JournalPhase.Complete)
            return new MigrationResult(user, UserState.Migrated, journal.Plan, 0, ["the migration is already complete"]);
        if (journal.RollingBack)
            throw new MigrationException($"{user}: a rollback was started from {journal.Path}; finish it with resume --rollback");
        var messages = new List<string>();
        RefuseLoginsAndCloseSessions(user, messages, $"nothing more moved; the journal stays at {journal.Path}");
        return RunForward(journal, messages);
    }

    /// <summary>Undoes a migration, complete or not, from its kept journal; the user ends <c>legacy</c>.</summary>
    public MigrationResult Rollback(string user)
    {
        using Posix.FileDescriptor userLock = LockUser(user);
        Journal? journal = OpenJournal(user);
        return journal is null ? ResumeWithoutJournal(user, rollback: true) : RunBackward(journal);
    }

    /// <summary>The user's journal when a migration or rollback is unfinished; null when none is pending.</summary>
    public JournalSummary? Pending(string user)
    {
        JournalSummary? summary = OpenJournal(user)?.Summary();
        return summary is { IsPending: true } ? summary : null;
    }

    /// <summary>The user's journal, refused unless root wrote it for the account as it is now.</summary>
    private Journal? OpenJournal(string user)
    {
        Journal? journal = Journal.Open(Config.Migration.JournalDirectory, user);
        journal?.RequireDescribes(Account(user));
        return journal;
    }

    // No journal: nothing was moved (the journal is written before the first move). A user left
    // migrating was stopped before that point.
    private MigrationResult ResumeWithoutJournal(string user, bool rollback)
    {
        UserState state = CurrentState(user);
        if (state != UserState.Migrating)
            throw new MigrationException($"{user}: no journal in {Config.Migration.JournalDirectory} and state {state.ToName()}: nothing to {(rollback ? "roll back" : "resume")}");
        if (!rollback)
        {
            MigrationPlan plan = Plan(user, MailboxSelection.None, allowMigrating: true);
            RequireExecutable(plan);
            return Execute(plan, MailboxSelection.None);
        }
        SetState(user, UserState.Legacy);
        MigrationPlan empty = new(user, 0, 0, "", "", "", [], [], [], []);
        return Finish(empty, UserState.Legacy, 0, ["no journal: nothing had moved; state set back to legacy"], "rolled back");
    }

    private MigrationResult RunBackward(Journal journal)
    {
        MigrationPlan plan = journal.Plan;
        string user = plan.User;
        var messages = new List<string>();
        RefuseLoginsAndCloseSessions(user, messages, $"nothing moved back; the journal stays at {journal.Path}");
        messages.AddRange(MoveBack(journal).Select(s => "set aside what Dovecot had recreated: " + s));
        SetState(user, UserState.Legacy);
        Forget(journal);
        Flush(user, messages);
        return Finish(plan, UserState.Legacy, plan.Steps.Count, messages, "rolled back");
    }

    /// <summary>
    /// Every step undone (phase rollback recorded first) and every move verified back; the state is
    /// not touched. Returns what Dovecot had recreated in the way and was set aside.
    /// </summary>
    private List<string> MoveBack(Journal journal)
    {
        MigrationPlan plan = journal.Plan;
        string user = plan.User;
        if (!journal.RollingBack)
            journal.RecordPhase(JournalPhase.Rollback);
        using var tree = new HomeTree(plan.Home);
        var runner = new StepRunner(tree, plan);
        var progress = new DurableProgress(tree, journal);
        Observer?.PhaseStarted(user, "moving back");
        try
        {
            for (int i = plan.Steps.Count - 1; i >= 0; i--)
            {
                Observer?.StepStarted(user, plan.Steps.Count - 1 - i, plan.Steps.Count, "undo " + Describe(plan.Steps[i]));
                runner.Undo(plan.Steps[i]);
                CrashPoint.Reached("rollback-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                if (journal.Done.Contains(i))
                    journal.RecordStep(i, undone: true);
                progress.StepRecorded();
            }
        }
        catch (Exception e) when (e is MigrationException or IOException)
        {
            progress.SaveAfterFailure();
            throw WithRemedy(e, $"user left migrating: fix that, then imaproot resume --rollback {user}");
        }
        progress.Save();
        string? problem = plan.Steps.OfType<MoveEntry>().Select(runner.VerifyRestored).FirstOrDefault(p => p is not null);
        if (problem is not null)
            throw new MigrationException($"{user}: rollback verification failed: {problem}; user left migrating: fix that, then imaproot resume --rollback {user}");
        return runner.SetAside;
    }

    /// <summary>A failure that leaves the user migrating, with the one line that says what to do next.</summary>
    private static MigrationException WithRemedy(Exception e, string remedy) =>
        e.Message.Contains("imaproot resume", StringComparison.Ordinal)
            ? e as MigrationException ?? new MigrationException(e.Message, e)
            : new MigrationException($"{e.Message}; {remedy}", e);

    /// <summary>Once the state says legacy again: the rollback is recorded and the journal removed, nothing being left to resume.</summary>
    private static void Forget(Journal journal)
    {
        journal.RecordPhase(JournalPhase.RolledBack);
        journal.Delete();
    }
}
