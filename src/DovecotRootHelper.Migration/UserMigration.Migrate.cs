using DovecotRootHelper.Dovecot;
using DovecotRootHelper.Durability;
using DovecotRootHelper.Posix;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Migration;

public sealed partial class UserMigration
{
    /// <summary>
    /// Migrates one user: state migrating, sessions closed, journal written, every step done and
    /// recorded, every move verified, state migrated, auth cache flushed. Throws
    /// <see cref="MigrationException"/> on a conflict (nothing touched) or a failure (the journal
    /// says what is done; <see cref="Resume"/> finishes or undoes it).
    /// </summary>
    public MigrationResult Migrate(string user, MailboxSelection selection)
    {
        using FileDescriptor userLock = LockUser(user);
        RequireNoJournal(user);
        RequireDovecotServesState(user);
        MigrationPlan plan = Plan(user, selection);
        RequireExecutable(plan);
        return Execute(plan, selection);
    }

    /// <summary>Refuses a user whose earlier migration left a journal: pending (resume it) or complete (roll back first).</summary>
    private void RequireNoJournal(string user)
    {
        if (OpenJournal(user) is not { } existing)
            return;
        throw new MigrationException(existing.Summary().IsPending
            ? $"{user}: a migration journal is pending ({existing.Path}, phase {existing.Phase}); run resume or resume --rollback"
            : $"{user}: a completed migration's journal is kept at {existing.Path}; roll back first or remove it");
    }

    private MigrationResult Execute(MigrationPlan plan, MailboxSelection selection)
    {
        string user = plan.User;
        var messages = new List<string>();
        RefuseLoginsAndCloseSessions(user, messages, "nothing moved");

        // Sessions were open until now and may have changed the tree: decide again on what is there now.
        MigrationPlan fresh = Plan(user, selection, allowMigrating: true);
        if (!fresh.CanExecute)
        {
            SetState(user, UserState.Legacy);
            RequireExecutable(fresh);
        }
        Journal journal = Journal.Create(Config.Migration.JournalDirectory, fresh);
        CrashPoint.Reached("after-journal");
        return RunForward(journal, messages);
    }

    /// <summary>
    /// Sets the user migrating (the hook refuses their logins from now on), kicks their sessions and
    /// waits until none is left. When they cannot be shown closed (see <see cref="SessionControl"/>),
    /// the user gets back the state they had, since nothing was moved since, and a
    /// <see cref="MigrationException"/> says which command failed.
    /// </summary>
    private void RefuseLoginsAndCloseSessions(string user, List<string> messages, string consequence)
    {
        UserState before = CurrentState(user);
        Observer?.PhaseStarted(user, "refusing logins (state migrating)");
        SetState(user, UserState.Migrating);
        CrashPoint.Reached("after-migrating");
        Observer?.PhaseStarted(user, "closing sessions");
        var sessions = new SessionControl(Config.Migration, user);
        // With Dovecot's auth cache on, a delivery could still be handed the user's cached userdb
        // answer (the all-services setup's root) while the files move: Dovecot forgets it first.
        sessions.FlushCache();
        string? failure = sessions.CloseSessions();
        messages.AddRange(sessions.Messages);
        if (failure is null)
            return;
        SetState(user, before);
        throw new MigrationException($"{user}: {failure}; user back to {before.ToName()}, {consequence}");
    }

    private MigrationResult RunForward(Journal journal, List<string> messages)
    {
        MigrationPlan plan = journal.Plan;
        messages.AddRange(MoveAndVerify(journal).Select(s => "set aside what Dovecot had recreated: " + s));
        SetState(plan.User, UserState.Migrated);
        CrashPoint.Reached("after-migrated");
        journal.RecordPhase(JournalPhase.Migrated);
        Flush(plan.User, messages);
        if (DovecotDisagrees(plan.User) is { } disagreement)
            PutBack(journal, disagreement);
        journal.RecordPhase(JournalPhase.Complete);
        return Finish(plan, UserState.Migrated, plan.Steps.Count, messages, "migrated");
    }

    /// <summary>
    /// Before anything is touched: Dovecot runs a setup that follows the state file, and its userdb
    /// (where it decides) answers the user's present location. Otherwise a migration would move the
    /// mailboxes where Dovecot does not look.
    /// </summary>
    private void RequireDovecotServesState(string user)
    {
        if (DovecotDisagrees(user) is { } problem)
            throw new MigrationException($"{user}: {problem}; nothing was touched");
    }

    /// <summary>The first way Dovecot ignores the state file for this user, in one line, or null.</summary>
    private string? DovecotDisagrees(string user)
    {
        _dovecot ??= new DovecotAgreement(Config, FindAccount);
        IReadOnlyList<string> problems = _dovecot.SetupProblems();
        return problems.Count > 0 ? problems[0] : _dovecot.Disagreement(user);
    }

    /// <summary>
    /// The state says migrated but Dovecot does not serve the migrated root: every move is undone and
    /// the user is legacy again, as before the migration; the exception says why.
    /// </summary>
    private void PutBack(Journal journal, string disagreement)
    {
        string user = journal.Plan.User;
        try
        {
            RunBackward(journal);
        }
        catch (Exception e) when (e is MigrationException or IOException)
        {
            throw new MigrationException($"{user}: {disagreement}; putting the user back failed too: {e.Message}");
        }
        throw new MigrationException($"{user}: {disagreement}; user put back to legacy, nothing left moved");
    }

    /// <summary>
    /// Every step done and recorded, every move verified: the journal reaches phase verified; the
    /// state is not touched. Returns what Dovecot had recreated in the way and was set aside.
    /// </summary>
    private List<string> MoveAndVerify(Journal journal)
    {
        MigrationPlan plan = journal.Plan;
        using var tree = new HomeTree(plan.Home);
        var runner = new StepRunner(tree, plan);
        var progress = new DurableProgress(tree, journal);
        Observer?.PhaseStarted(plan.User, "moving");
        try
        {
            for (int i = 0; i < plan.Steps.Count; i++)
            {
                Observer?.StepStarted(plan.User, i, plan.Steps.Count, Describe(plan.Steps[i]));
                runner.Do(plan.Steps[i]);
                CrashPoint.ReachedStep(i);
                if (!journal.Done.Contains(i))
                    journal.RecordStep(i);
                progress.StepRecorded();
            }
        }
        catch (Exception e) when (e is MigrationException or IOException)
        {
            progress.SaveAfterFailure();
            throw WithRemedy(e, $"user left migrating: fix that, then imaproot resume {plan.User}, or imaproot resume --rollback {plan.User}");
        }
        progress.Save();
        journal.RecordPhase(JournalPhase.Moved);

        Observer?.PhaseStarted(plan.User, "verifying");
        string? problem = plan.Steps.OfType<MoveEntry>().Select(m => runner.VerifyMoved(m, strict: true)).FirstOrDefault(p => p is not null);
        if (problem is not null)
            throw new MigrationException($"{plan.User}: verification failed: {problem}; user left migrating: imaproot resume --rollback {plan.User}");
        journal.RecordPhase(JournalPhase.Verified);
        CrashPoint.Reached("after-verify");
        return runner.SetAside;
    }

    private MigrationResult Finish(MigrationPlan plan, UserState state, int steps, List<string> messages, string what)
    {
        int moved = plan.Mailboxes.Count(m => m.Disposition == MailboxDisposition.Moves);
        using (Serilog.Core.Logger log = Logging.HelperLog.Create("imaproot", toStandardError: false))
        {
            log.Information("{User}: {What}: {Mailboxes} mailboxes, {Steps} steps, {Notes} notes", plan.User, what, moved, steps, plan.Notes.Count);
        }
        Observer?.PhaseStarted(plan.User, $"{what}: {moved} mailboxes, {steps} steps");
        return new MigrationResult(plan.User, state, plan, steps, messages);
    }

    private void Flush(string user, List<string> messages)
    {
        var sessions = new SessionControl(Config.Migration, user);
        sessions.FlushCache();
        messages.AddRange(sessions.Messages);
    }

    /// <summary>
    /// Writes the user's state, and with the all-services userdb returns only once Dovecot serves it:
    /// no delivery may be handed the old root after the state says migrating and files start to move,
    /// and the auth cache flush that follows must not be undone by a lookup of the old version.
    /// </summary>
    private void SetState(string user, UserState state) =>
        WriteStates(writer => writer.SetState(user, state, $"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ} imaproot"));

    /// <summary>One write of the state file (and its userdb) under its lock; returns once Dovecot serves the userdb written.</summary>
    private void WriteStates(Action<StateFileWriter> change)
    {
        UserdbOverlay? userdb = UserdbOverlay.For(Config);
        using (StateFileWriter writer = StateFileWriter.Lock(Config.StateFile, userdb))
            change(writer);
        userdb?.WaitUntilDovecotSees();
    }

    /// <summary>One imaproot at a time per user, for the whole operation (kick, moves, state).</summary>
    private FileDescriptor LockUser(string user)
    {
        // The lock lives beside the journals and is opened as root: the same directory rule.
        Journal.EnsureDirectory(Config.Migration.JournalDirectory);
        string path = Path.Combine(Config.Migration.JournalDirectory, user + ".lock");
        FileDescriptor fd = Sys.OpenLockFile(path, FileModes.UserReadWrite);
        // A few tries: a child forked by another thread of this process (a doveadm command) shares
        // the descriptor, and so the lock, for the instant before its exec closes it.
        for (int attempt = 0; !Sys.TryLockExclusive(fd, path); attempt++)
        {
            if (attempt == 20)
            {
                fd.Dispose();
                throw new MigrationException($"{user}: another imaproot is working on this user ({path} is locked)");
            }
            Thread.Sleep(100);
        }
        return fd;
    }

    private static void RequireExecutable(MigrationPlan plan)
    {
        if (plan.CanExecute)
            return;
        PlanConflict first = plan.Conflicts[0];
        string more = plan.Conflicts.Count > 1 ? $" (and {plan.Conflicts.Count - 1} more conflicts)" : "";
        throw new MigrationException($"{plan.User}: {(first.Path.Length > 0 ? first.Path + ": " : "")}{first.Reason}{more}; nothing was touched");
    }

    private static string Describe(PlanStep step) => step switch
    {
        CreateDirectory c => $"mkdir {c.Path}",
        MoveEntry m => $"{m.From} -> {m.To}",
        CreateSymlink l => $"symlink {l.Path} -> {l.Target}",
        _ => step.ToString() ?? "",
    };
}
