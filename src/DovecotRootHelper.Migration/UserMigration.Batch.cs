using System.Diagnostics;
using DovecotRootHelper.Durability;
using DovecotRootHelper.Posix;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Migration;

/// <summary>How one user of a batch ended: migrated, or failed with everything of theirs back where it was.</summary>
public sealed record BatchMemberResult(
    string User,
    UserState? FinalState,
    string? Error,
    int Mailboxes,
    long BytesMoved,
    int Steps,
    TimeSpan Duration,
    TimeSpan LoginsRefused,
    IReadOnlyList<string> Messages);

/// <summary>A batch migration's outcome, one result per user in the order given.</summary>
public sealed record BatchResult(DateTime Started, DateTime Finished, IReadOnlyList<BatchMemberResult> Members)
{
    public int Migrated => Members.Count(m => m.FinalState == UserState.Migrated);

    public int Failed => Members.Count - Migrated;
}

public sealed partial class UserMigration
{
    /// <summary>
    /// Migrates several users as one operation: every user that can go ahead is set migrating in one
    /// state-file write, all their sessions are kicked before waiting for any, each user's files move
    /// and are verified in turn, and one more write sets the results. A user's failure never stops
    /// the others: a user that cannot start is left as they were, a user whose moves fail has them
    /// undone at once and goes back to <c>legacy</c> with the second write. A crash leaves journals
    /// that <see cref="Resume"/> finishes or undoes, as for one user.
    /// </summary>
    public BatchResult MigrateBatch(IReadOnlyList<string> users, MailboxSelection selection)
    {
        ArgumentNullException.ThrowIfNull(users);
        DateTime started = DateTime.UtcNow;
        var members = users.Distinct(StringComparer.Ordinal).Select(u => new BatchMember(u)).ToList();
        try
        {
            foreach (BatchMember member in members)
                Prepare(member, selection);
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
    private void Prepare(BatchMember member, MailboxSelection selection)
    {
        try
        {
            member.Lock = LockUser(member.User);
            RequireNoJournal(member.User);
            RequireDovecotServesState(member.User);
            RequireExecutable(Plan(member.User, selection));
        }
        catch (Exception e) when (e is MigrationException or JournalException or IOException)
        {
            member.Fail(e.Message.EndsWith("nothing was touched", StringComparison.Ordinal) ? e.Message : $"{e.Message}; nothing was touched");
        }
    }

    private void Run(List<BatchMember> going, MailboxSelection selection)
    {
        SetStates(going.Select(m => (m.User, UserState.Migrating)).ToList());
        var refusedSince = Stopwatch.StartNew();
        CrashPoint.Reached("after-migrating");
        foreach (BatchMember member in going)
        {
            Observer?.PhaseStarted(member.User, "refusing logins (state migrating, with the batch)");
            member.Sessions = new SessionControl(Config.Migration, member.User);
            member.Sessions.FlushCache();
            if (member.Sessions.Kick() is { } kickFailed)
                member.Fail($"{member.User}: {kickFailed}; user back to legacy, nothing moved");
        }
        foreach (BatchMember member in going.Where(m => m.Error is null))
        {
            Observer?.PhaseStarted(member.User, "closing sessions");
            if (member.Sessions!.WaitUntilClosed() is { } stillOpen)
                member.Fail($"{member.User}: {stillOpen}; user back to legacy, nothing moved");
        }
        foreach (BatchMember member in going.Where(m => m.Error is null))
            Move(member, selection);

        var results = going.Select(m => (m.User, m.Error is null ? UserState.Migrated : m.LeftMigrating ? UserState.Migrating : UserState.Legacy)).ToList();
        SetStates(results);
        foreach (BatchMember member in going)
        {
            member.LoginsRefused = refusedSince.Elapsed;
            member.Messages.AddRange(member.Sessions?.Messages ?? []);
            if (member.Journal is null || member.LeftMigrating)
                continue;
            if (member.Error is null)
                Complete(member);
            else
                Forget(member.Journal);
        }
    }

    // As for one user: the journal records the flip, Dovecot forgets its cached answer and must now
    // answer the migrated root, or the member is put back.
    private void Complete(BatchMember member)
    {
        Journal journal = member.Journal!;
        journal.RecordPhase(JournalPhase.Migrated);
        Flush(member.User, member.Messages);
        if (DovecotDisagrees(member.User) is { } disagreement)
        {
            try
            {
                PutBack(journal, disagreement);
            }
            catch (MigrationException e)
            {
                member.Fail(e.Message);
                member.LeftMigrating = CurrentState(member.User) == UserState.Migrating;
                return;
            }
        }
        journal.RecordPhase(JournalPhase.Complete);
    }

    // One user's moves: a fresh plan (sessions were open until the kick), the journal, every step,
    // the verification. On failure the moves are undone at once; a user whose undo fails too stays
    // migrating with the journal, for resume --rollback.
    private void Move(BatchMember member, MailboxSelection selection)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            MigrationPlan fresh = Plan(member.User, selection, allowMigrating: true);
            RequireExecutable(fresh);
            member.Journal = Journal.Create(Config.Migration.JournalDirectory, fresh);
            MoveAndVerify(member.Journal);
            member.Plan = fresh;
        }
        catch (Exception e) when (e is MigrationException or JournalException or IOException)
        {
            member.Fail(e.Message);
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
            MoveBack(journal);
            member.Error = $"{member.Error}; its moves were undone, user back to legacy";
        }
        catch (Exception e) when (e is MigrationException or IOException)
        {
            member.LeftMigrating = true;
            member.Error = $"{member.Error}; undoing its moves failed too ({e.Message}); user left migrating: run imaproot resume --rollback {member.User}";
        }
    }

    private void SetStates(IReadOnlyList<(string User, UserState State)> changes) =>
        WriteStates(writer => writer.SetStates(changes, $"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ} imaproot batch"));

    private sealed class BatchMember(string user)
    {
        public string User { get; } = user;

        public FileDescriptor? Lock { get; set; }

        public SessionControl? Sessions { get; set; }

        public Journal? Journal { get; set; }

        public MigrationPlan? Plan { get; set; }

        public string? Error { get; set; }

        public bool LeftMigrating { get; set; }

        public TimeSpan Duration { get; set; }

        public TimeSpan LoginsRefused { get; set; }

        public List<string> Messages { get; } = [];

        public void Fail(string error) => Error ??= error;

        public BatchMemberResult Result()
        {
            if (Error is not null || Plan is null)
                return new BatchMemberResult(User, null, Error ?? $"{User}: not migrated", 0, 0, 0, Duration, LoginsRefused, Messages);
            var moving = Plan.Mailboxes.Where(m => m.Disposition == MailboxDisposition.Moves).Select(m => MigrationLayout.Join(Plan.LegacyRoot, m.Name)).ToHashSet(StringComparer.Ordinal);
            long bytes = Plan.Steps.OfType<MoveEntry>().Where(m => m.Kind == EntryKind.File && moving.Contains(m.From)).Sum(m => m.Identity.Size);
            return new BatchMemberResult(User, UserState.Migrated, null, moving.Count, bytes, Plan.Steps.Count, Duration, LoginsRefused, Messages);
        }
    }
}
