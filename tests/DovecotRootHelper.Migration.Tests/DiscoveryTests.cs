using DovecotRootHelper.Mailboxes;

namespace DovecotRootHelper.Migration.Tests;

public class DiscoveryTests
{
    private sealed class LogSource(params string[] names) : IMailboxEvidenceSource
    {
        public MailboxEvidence Kind => MailboxEvidence.Logged;

        public IEnumerable<string> MailboxNames(string user) => names;
    }

    [Fact]
    public void EachMailboxCarriesAllItsEvidence()
    {
        using var home = new TestHome();
        home.Mbox("Archive");
        home.Mbox("mail/Sent");
        home.Mbox("mail/deep/Old");
        home.Mbox("mail/deep/Sub");
        home.Mbox("Given");
        home.Mbox("Logged");
        // mail/.imap and mail/deep/.imap are looked at because a subscribed name leads through both folders.
        home.Subscribe("Archive", "Gone", "mail/deep/Sub");
        home.Index("Archive");
        home.Index("mail/Sent");
        home.Index("mail/deep/Old");
        MigrationPlan plan = home.Migration.Plan(TestHome.User, new MailboxSelection(["Given"], [new LogSource("Logged")]));
        Dictionary<string, Mailbox> byName = plan.Mailboxes.ToDictionary(m => m.Name);
        Assert.Equal(MailboxEvidence.Subscribed | MailboxEvidence.Indexed, byName["Archive"].Evidence);
        Assert.Equal(MailboxEvidence.Indexed, byName["mail/Sent"].Evidence);
        Assert.Equal(MailboxEvidence.Indexed, byName["mail/deep/Old"].Evidence);
        Assert.Equal(MailboxEvidence.Given, byName["Given"].Evidence);
        Assert.Equal(MailboxEvidence.Logged, byName["Logged"].Evidence);
        Assert.Equal(MailboxDisposition.Missing, byName["Gone"].Disposition);
        Assert.All(plan.Mailboxes.Where(m => m.Name != "Gone"), m => Assert.Equal(MailboxDisposition.Moves, m.Disposition));
    }

    [Fact]
    public void NamesAreShownDecoded()
    {
        using var home = new TestHome();
        home.Mbox("sub/Entw&APw-rfe");
        home.Subscribe("sub/Entw&APw-rfe");
        Mailbox m = Assert.Single(home.Migration.Plan(TestHome.User, MailboxSelection.None).Mailboxes);
        Assert.Equal("sub/Entwürfe", m.DisplayName);
    }

    [Fact]
    public void UnrelatedFilesInTheHomeAreNeverListed()
    {
        using var home = new TestHome();
        home.Mbox("Archive");
        home.Subscribe("Archive");
        for (int i = 0; i < 50; i++)
            home.File($"junk/dir{i}/file", "From looks like mail\n");
        MigrationPlan plan = home.Migration.Plan(TestHome.User, MailboxSelection.None);
        Assert.DoesNotContain(plan.Notes, n => n.Path.StartsWith("junk", StringComparison.Ordinal));
        Assert.Single(plan.Mailboxes);
    }
}
