using System.Diagnostics;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Migration;

/// <summary>
/// Several users migrated as one operation, through the same phases as one user: every user that
/// can go ahead is set migrating in one state-file write, all their sessions are kicked before
/// waiting for any, each user's files move and are verified in turn, and one more write sets the
/// results. A user's failure never stops the others: a user that cannot start is left as they
/// were, a user whose moves fail has them undone at once and goes back to <c>legacy</c> with the
/// second write. A crash leaves journals that resume finishes or undoes, as for one user.
/// </summary>
internal sealed class BatchMigration(MigrationPhases phases)
{
    public BatchResult Migrate(IReadOnlyList<BatchMember> members, MailboxSelection selection)
    {
        DateTime started = DateTime.UtcNow;
        try
        {
            foreach (BatchMember member in members.Where(m => m.Error is null))
                Admit(member, selection);
            List<BatchMember> going = [.. members.Where(m => m.Error is null)];
            if (going.Count > 0)
                Run(going, selection);
        }
        finally
        {
            foreach (BatchMember member in members)
                member.Lock?.Dispose();
        }
        return new BatchResult(started, DateTime.UtcNow, [.. members.Select(m => m.Result())]);
    }

    // Locks the user and checks, as a single migrate does, that nothing stands in the way; the
    // user's state is not touched yet.
    private void Admit(BatchMember member, MailboxSelection selection)
    {
        try
        {
            member.Lock = phases.Lock(member.User);
            phases.Admit(member.Account!, selection);
        }
        catch (Exception e) when (e is MigrationException or JournalException or IOException)
        {
            member.Fail(e is MigrationException { NothingTouched: true } ? e.Message : $"{e.Message}; nothing was touched");
        }
    }

    private void Run(List<BatchMember> going, MailboxSelection selection)
    {
        phases.Logins.Refuse([.. going.Select(m => m.User)]);
        var refusedSince = Stopwatch.StartNew();
        foreach (BatchMember member in going)
            member.Sessions = new SessionControl(phases.Config.Migration, member.User);
        foreach ((string user, string failure) in phases.Logins.CloseSessions([.. going.Select(m => (m.User, m.Sessions!))]))
            going.First(m => m.User == user).Fail($"{user}: {failure}; user back to legacy, nothing moved");
        foreach (BatchMember member in going.Where(m => m.Error is null))
            Move(member, selection);

        phases.States.Set([.. going.Select(m => (m.User, m.FinalState))]);
        foreach (BatchMember member in going)
        {
            member.LoginsRefused = refusedSince.Elapsed;
            member.Messages.AddRange(member.Sessions?.Messages ?? []);
            if (member.Journal is null || member.LeftMigrating)
                continue;
            if (member.Error is null)
                Complete(member);
            else
                UserRollback.Forget(member.Journal);
        }
    }

    // One user's moves: a fresh plan (sessions were open until the kick), the journal, every step,
    // the verification. On failure the moves are undone at once; a user whose undo fails too stays
    // migrating with the journal, for resume --rollback.
    private void Move(BatchMember member, MailboxSelection selection)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            MigrationPlan fresh = phases.Planner.Plan(member.Account!, selection, allowMigrating: true);
            MigrationPlanner.RequireExecutable(fresh);
            member.Journal = Journal.Create(phases.Config.Migration.JournalDirectory, fresh);
            member.Messages.AddRange(phases.Steps.Forward(member.Journal));
            member.Plan = fresh;
        }
        catch (Exception e) when (e is MigrationException or JournalException or IOException)
        {
            // What the failure would have left on its own (a remedy, "nothing was touched") is not
            // what the batch leaves: it undoes the moves at once and says so.
            member.Fail(e is MigrationException m ? m.Reason : e.Message);
            if (member.Journal is { } journal)
                UndoAfterFailure(member, journal);
            else
                member.Error = $"{member.Error}; user back to legacy, nothing moved";
        }
        member.Duration = clock.Elapsed;
    }

    private void UndoAfterFailure(BatchMember member, Journal journal)
    {
        try
        {
            member.Messages.AddRange(phases.Steps.Back(journal));
            member.Error = $"{member.Error}; its moves were undone, user back to legacy";
        }
        catch (Exception e) when (e is MigrationException or IOException)
        {
            member.LeftMigrating = true;
            member.Error = $"{member.Error}; undoing its moves failed too ({(e is MigrationException m ? m.Reason : e.Message)}); user left migrating: run imaproot resume --rollback {member.User}";
        }
    }

    // As for one user, after the batch's second write.
    private void Complete(BatchMember member)
    {
        try
        {
            phases.Completion.Complete(member.Journal!, member.Account!, member.Messages);
        }
        catch (MigrationException e)
        {
            member.Fail(e.Message);
            member.LeftMigrating = phases.States.Current(member.Account!) == UserState.Migrating;
        }
    }
}
