using DovecotRootHelper.Migration;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Cli.Tests;

/// <summary>Stands in for the migration library: pending journals and plans as the test says, every call recorded.</summary>
internal sealed class FakeMigrations : IMigrations
{
    public Dictionary<string, JournalSummary> PendingJournals { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, MigrationPlan> Plans { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Failing { get; } = new(StringComparer.Ordinal);

    public List<string> Calls { get; } = [];

    public IMigrationObserver? Observer { get; private set; }

    public FakeMigrations With(IMigrationObserver? observer)
    {
        Observer = observer;
        return this;
    }

    public JournalSummary? Pending(string user)
    {
        Calls.Add("pending " + user);
        return PendingJournals.GetValueOrDefault(user);
    }

    public MigrationPlan Plan(string user, MailboxSelection selection)
    {
        Calls.Add($"plan {user} [{string.Join(",", selection.Given)}]");
        return PlanOf(user);
    }

    public MigrationResult Migrate(string user, MailboxSelection selection)
    {
        Calls.Add($"migrate {user} [{string.Join(",", selection.Given)}]");
        return Finish(user, UserState.Migrated);
    }

    public MigrationResult Resume(string user, bool rollback)
    {
        Calls.Add($"resume {user} rollback={rollback}");
        return Finish(user, rollback ? UserState.Legacy : UserState.Migrated);
    }

    public MigrationResult Rollback(string user)
    {
        Calls.Add("rollback " + user);
        return Finish(user, UserState.Legacy);
    }

    public static MigrationPlan SamplePlan(string user, bool conflict = false) => new(
        user,
        1001,
        1001,
        "/home/" + user,
        "/home/" + user,
        $"/home/{user}/IMAP",
        [
            new Mailbox("mail/Archive", "mail/Archive", MailboxEvidence.Subscribed | MailboxEvidence.Indexed, MailboxDisposition.Moves),
            new Mailbox("Entw&APw-rfe", "Entwürfe", MailboxEvidence.Given | MailboxEvidence.Logged, MailboxDisposition.Missing),
        ],
        [
            new CreateDirectory("IMAP/mail", 0x1C0),
            new MoveEntry("mail/Archive", "IMAP/mail/Archive", EntryKind.File, new ObjectIdentity(1, 2, 3, 4, 5)),
            new MoveEntry("mail/.imap/Archive", "IMAP/mail/.imap/Archive", EntryKind.Directory, new ObjectIdentity(1, 3, 4096, 4, 5)),
        ],
        [new PlanNote("notes.txt", "looks like mbox but no evidence: left in place")],
        conflict ? [new PlanConflict("IMAP/mail/Archive", "destination exists")] : []);

    private MigrationPlan PlanOf(string user)
    {
        if (Failing.Contains(user))
            throw new MigrationException($"{user}: state is migrated, expected legacy");
        return Plans.TryGetValue(user, out MigrationPlan? plan) ? plan : SamplePlan(user);
    }

    private MigrationResult Finish(string user, UserState state)
    {
        MigrationPlan plan = PlanOf(user);
        Observer?.PhaseStarted(user, "moving mailboxes");
        for (int i = 0; i < plan.Steps.Count; i++)
            Observer?.StepStarted(user, i, plan.Steps.Count, "step " + (i + 1));
        return new MigrationResult(user, state, plan, plan.Steps.Count, ["auth cache flushed"]);
    }
}
