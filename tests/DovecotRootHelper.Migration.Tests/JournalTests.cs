using DovecotRootHelper.Mailboxes;

namespace DovecotRootHelper.Migration.Tests;

public class JournalTests
{
    private static readonly MigrationPlan Plan = new(
        "alice", 23001, 23001, "/home/alice", "", "IMAP",
        [new Mailbox("odd\tname\nwith\\escapes", "odd", MailboxEvidence.Subscribed | MailboxEvidence.Indexed, MailboxDisposition.Moves)],
        [new CreateDirectory("IMAP", 0x1C0), new MoveEntry("odd\tname\nwith\\escapes", "IMAP/odd\tname\nwith\\escapes", EntryKind.File, new ObjectIdentity(1, 2, 3, 4, 5))],
        [new PlanNote("x", "a note")],
        []);

    [Fact]
    public void ThePlanSurvivesTheRoundTripWithTabsNewlinesAndBackslashes()
    {
        Journal journal = Journal.Parse("/j", Journal.Serialize(Plan) + "done\t0\nphase\tmoved\n");
        Assert.Equal(Plan.Steps, journal.Plan.Steps);
        Assert.Equal(Plan.Mailboxes[0].Name, journal.Plan.Mailboxes[0].Name);
        Assert.Equal(Plan.Mailboxes[0].Evidence, journal.Plan.Mailboxes[0].Evidence);
        Assert.Equal([0], journal.Done);
        Assert.Equal(JournalPhase.Moved, journal.Phase);
    }

    [Fact]
    public void ATornLastRecordIsIgnored()
    {
        Journal journal = Journal.Parse("/j", Journal.Serialize(Plan) + "done\t0\ndone\t1");
        Assert.Equal([0], journal.Done);
    }

    [Fact]
    public void AnIncompletePlanIsRefused() =>
        Assert.Throws<JournalException>(() => Journal.Parse("/j", Journal.Serialize(Plan)[..^10]));

    [Fact]
    public void UndoneStepsAreNoLongerDoneAndRollbackIsRemembered()
    {
        Journal journal = Journal.Parse("/j", Journal.Serialize(Plan) + "done\t0\ndone\t1\nphase\trollback\nundone\t1\n");
        Assert.Equal([0], journal.Done);
        Assert.True(journal.RollingBack);
        Assert.True(journal.Summary().IsPending);
    }
}
