using DovecotRootHelper.Mailboxes;

namespace DovecotRootHelper.Migration.Tests;

/// <summary>
/// A name with a component longer than a file name can be (255 bytes, NAME_MAX), from the
/// subscriptions file, the logs or the administrator, names nothing on disk: the plan says so in a
/// note and goes on with the rest.
/// </summary>
public class OverlongNamesAreNotes
{
    private static readonly string Overlong = new('x', 256);

    // 128 two-byte characters: 128 UTF-16 characters, but 256 bytes on disk.
    private static readonly string OverlongInBytes = new('ü', 128);

    [Theory]
    [InlineData("top")]
    [InlineData("below")]
    [InlineData("bytes")]
    public void ASubscribedOverlongNameIsANote(string where)
    {
        using var home = new TestHome();
        home.Mbox("mail/Archive");
        string name = where switch
        {
            "top" => Overlong,
            "below" => "mail/" + Overlong + "/x",
            _ => "mail/" + OverlongInBytes,
        };
        home.Subscribe("mail/Archive", name);

        MigrationPlan plan = home.Migration.Plan(TestHome.User, MailboxSelection.None);
        Assert.True(plan.CanExecute);
        Assert.Contains(plan.Mailboxes, m => m.Name == "mail/Archive" && m.Disposition == MailboxDisposition.Moves);
        PlanNote note = Assert.Single(plan.Notes, n => n.Path == name);
        Assert.Contains("longer than 255 bytes", note.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AGivenOrLoggedOverlongNameIsANote()
    {
        using var home = new TestHome();
        home.Mbox("Lists");
        var selection = new MailboxSelection([Overlong], [new Names(["Lists", "a/" + Overlong])]);

        MigrationPlan plan = home.Migration.Plan(TestHome.User, selection);
        Assert.True(plan.CanExecute);
        Assert.Equal(["Lists"], plan.Mailboxes.Select(m => m.Name));
        Assert.Equal(2, plan.Notes.Count(n => n.Reason.Contains("longer than 255 bytes", StringComparison.Ordinal)));
    }

    [Fact]
    public void A255ByteNameIsAName()
    {
        using var home = new TestHome();
        string longest = new('y', 255);
        home.Mbox(longest);
        home.Subscribe(longest);
        Assert.Equal(MailboxDisposition.Moves, Assert.Single(home.Migration.Plan(TestHome.User, MailboxSelection.None).Mailboxes).Disposition);
    }

    private sealed class Names(string[] names) : IMailboxEvidenceSource
    {
        public MailboxEvidence Kind => MailboxEvidence.Logged;

        public IEnumerable<string> MailboxNames(string user) => names;
    }
}
