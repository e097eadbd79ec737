namespace DovecotRootHelper.Migration.Tests;

/// <summary>
/// Over a $HOME root a client can SUBSCRIBE any file (clients that subscribe everything do), and a
/// LIST indexes them all. The plan moves only mailboxes: mbox files (empty, or starting with
/// "From ") and the folders holding them; never a dot-entry at the home's top level. Everything else
/// named by evidence is reported with its reason and stays byte for byte where it was.
/// </summary>
public class NonMailStaysInTheHomeTests
{
    private static readonly string[] DotFiles = [".bashrc", ".profile", ".forward", ".hushlogin", ".oldmail", ".mail/Saved"];

    private static readonly string[] NotMail = ["notes.txt", "work/todo.txt", "Documents"];

    private static readonly string[] Mailboxes = ["Drafts", "Lists", "work/Projects"];

    /// <summary>alice's home after a client subscribed to everything it listed and selected a few names.</summary>
    private static void Populate(TestHome home)
    {
        home.File(".bashrc", "export EDITOR=vi\n");
        home.File(".profile", "umask 022\n");
        home.File(".forward", "alice@example.org\n");
        home.File(".hushlogin", ""); // Empty, as a new mbox is: still never moved.
        home.Mbox(".oldmail"); // Looks like an mbox: still never moved.
        home.Mbox(".mail/Saved");
        home.File("notes.txt", "call bob\n");
        home.Mbox("Lists", "lists");
        home.File("Drafts", ""); // Dovecot's CREATE makes an empty mbox.
        home.Mbox("work/Projects", "projects");
        home.File("work/todo.txt", "finish the report\n");
        home.File("Documents/report.odt", "PK\x03\x04");
        foreach (string indexed in new[] { ".bashrc", ".forward", ".oldmail", "notes.txt", "Lists", "Drafts", "work/Projects", "work/todo.txt" })
            home.Index(indexed);
        home.Subscribe([.. DotFiles, .. NotMail, .. Mailboxes, "work"]);
    }

    private static MigrationPlan Plan(TestHome home) => home.Migration.Plan(TestHome.User, MailboxSelection.None);

    [Fact]
    public void PlanMovesExactlyTheMailboxes()
    {
        using var home = new TestHome();
        Populate(home);
        MigrationPlan plan = Plan(home);
        Assert.True(plan.CanExecute, string.Join("; ", plan.Conflicts));
        Assert.Equal(Mailboxes, plan.Mailboxes.Where(m => m.Disposition == MailboxDisposition.Moves).Select(m => m.Name));
        string[] moved = [.. plan.Steps.OfType<MoveEntry>().Select(m => m.From)];
        Assert.Equal([".imap", ".subscriptions", "Drafts", "Lists", "work/Projects", "work/.imap/Projects"], moved);
    }

    [Fact]
    public void EveryNameLeftIsReportedWithItsReason()
    {
        using var home = new TestHome();
        Populate(home);
        MigrationPlan plan = Plan(home);
        Dictionary<string, Mailbox> byName = plan.Mailboxes.ToDictionary(m => m.Name);
        foreach (string name in DotFiles)
        {
            Assert.Equal(MailboxDisposition.LeftInPlace, byName[name].Disposition);
            Assert.Contains(plan.Notes, n => n.Path == name && n.Reason == "a dot-entry at the home's top level: never moved");
        }
        foreach (string name in NotMail)
            Assert.Equal(MailboxDisposition.LeftInPlace, byName[name].Disposition);
        Assert.Contains(plan.Notes, n => n.Path == "notes.txt" && n.Reason == "subscribed, indexed but not an mbox (neither empty nor starting with \"From \"): not moved");
        Assert.Contains(plan.Notes, n => n.Path == "work/todo.txt" && n.Reason == "subscribed, indexed but not an mbox (neither empty nor starting with \"From \"): not moved");
        Assert.Contains(plan.Notes, n => n.Path == "Documents" && n.Reason == "subscribed but a directory holding no mailbox that moves: not moved");
        // A folder of moving mailboxes is neither moved as a mailbox nor reported as left.
        Assert.Equal(MailboxDisposition.Folder, byName["work"].Disposition);
        Assert.DoesNotContain(plan.Notes, n => n.Path == "work");
    }

    [Fact]
    public void MigrateLeavesEverythingButTheMailboxesByteIdenticalInPlace()
    {
        using var home = new TestHome();
        Populate(home);
        string subscriptions = File.ReadAllText(home.PathOf(".subscriptions"));
        SortedDictionary<string, TreeSnapshot.Entry> before = Oracle.Home(home.Snapshot());
        home.Migration.Migrate(TestHome.User, MailboxSelection.None);
        SortedDictionary<string, TreeSnapshot.Entry> after = Oracle.Home(home.Snapshot());

        foreach (string kept in new[] { ".bashrc", ".profile", ".forward", ".hushlogin", ".oldmail", ".mail/Saved", "notes.txt", "work/todo.txt", "work/.imap/todo.txt/dovecot.index", "Documents/report.odt" })
        {
            Assert.Equal(before[kept], after.GetValueOrDefault(kept));
            Assert.False(after.ContainsKey("IMAP/" + kept), kept + " was copied or moved");
        }
        foreach (string moved in Mailboxes)
            Assert.Equal(before[moved], after.GetValueOrDefault("IMAP/" + moved));
        // The subscriptions move unchanged: names that stayed behind are still subscribed, and the
        // client sees them as \NonExistent under the new root rather than losing a subscription.
        Assert.Equal(subscriptions, File.ReadAllText(home.PathOf("IMAP/.subscriptions")));
    }

    [Fact]
    public void AGivenDotFileIsNotMovedEither()
    {
        using var home = new TestHome();
        home.Mbox(".mbox");
        home.Mbox("Archive");
        MigrationPlan plan = home.Migration.Plan(TestHome.User, new MailboxSelection([".mbox", "Archive"], []));
        Assert.Equal(["Archive"], plan.Mailboxes.Where(m => m.Disposition == MailboxDisposition.Moves).Select(m => m.Name));
        Assert.Contains(plan.Notes, n => n.Path == ".mbox" && n.Reason.Contains("never moved", StringComparison.Ordinal));
    }

    [Fact]
    public void DotEntriesBelowTheTopLevelAreOrdinaryNames()
    {
        using var home = new TestHome();
        home.Mbox("mail/.hidden");
        home.Subscribe("mail/.hidden");
        MigrationPlan plan = Plan(home);
        Assert.Equal(MailboxDisposition.Moves, Assert.Single(plan.Mailboxes).Disposition);
    }

    [Fact]
    public void WithALegacyRootBelowTheHomeItsDotNamesAreOrdinaryNames()
    {
        using var home = new TestHome();
        var config = home.Config with
        {
            Legacy = Locations.LocationTemplate.Parse("mbox:~/mail:INBOX=/var/mail/%u"),
            Migrated = Locations.LocationTemplate.Parse("mbox:~/IMAP:INBOX=/var/mail/%u"),
        };
        var migration = new UserMigration(config) { FindAccount = home.Migration.FindAccount };
        home.Mbox("mail/.archive");
        home.File("mail/.subscriptions", "V\t2\n\n.archive\n");
        MigrationPlan plan = migration.Plan(TestHome.User, MailboxSelection.None);
        Assert.Equal(MailboxDisposition.Moves, Assert.Single(plan.Mailboxes).Disposition);
    }
}
