namespace DovecotRootHelper.Migration.Tests;

public class PlanNotesAndConflictsTests
{
    private static MigrationPlan Plan(TestHome home) => home.Migration.Plan(TestHome.User, MailboxSelection.None);

    [Fact]
    public void PlanTouchesNothing()
    {
        using var home = new TestHome();
        home.Mbox("mail/Archive");
        home.Subscribe("mail/Archive");
        TreeSnapshot before = home.Snapshot();
        MigrationPlan plan = Plan(home);
        Assert.True(plan.CanExecute);
        Assert.Equal(before.Entries, home.Snapshot().Entries);
    }

    [Fact]
    public void SubscribedButMissingIsANote()
    {
        using var home = new TestHome();
        home.Subscribe("Gone");
        MigrationPlan plan = Plan(home);
        Assert.True(plan.CanExecute);
        Assert.Contains(plan.Notes, n => n.Path == "Gone" && n.Reason.Contains("no such file", StringComparison.Ordinal));
    }

    [Fact]
    public void MboxLookingFileWithoutEvidenceIsANoteAndStays()
    {
        using var home = new TestHome();
        home.Mbox("mail/Archive");
        home.Mbox("mail/Forgotten");
        home.Subscribe("mail/Archive");
        MigrationPlan plan = Plan(home);
        Assert.Contains(plan.Notes, n => n.Path == "mail/Forgotten" && n.Reason.Contains("looks like an mbox", StringComparison.Ordinal));
        Assert.DoesNotContain(plan.Steps.OfType<MoveEntry>(), m => m.From.Contains("Forgotten", StringComparison.Ordinal) || m.From == "mail");
    }

    [Fact]
    public void SymlinksAreNotedNeverMoved()
    {
        using var home = new TestHome();
        home.Mbox("mail/Archive");
        home.Symlink("mail/Link", "/etc/passwd");
        home.Symlink("Outside", home.Outside);
        home.Subscribe("mail/Archive", "mail/Link", "Outside/precious");
        MigrationPlan plan = Plan(home);
        Assert.True(plan.CanExecute);
        Assert.Contains(plan.Notes, n => n.Path == "mail/Link" && n.Reason.Contains("symlink", StringComparison.Ordinal));
        Assert.Contains(plan.Notes, n => n.Path == "Outside/precious" && n.Reason.Contains("symlink", StringComparison.Ordinal));
        Assert.DoesNotContain(plan.Steps.OfType<MoveEntry>(), m => m.From.Contains("Link", StringComparison.Ordinal) || m.From.StartsWith("Outside", StringComparison.Ordinal) || m.From == "mail");
    }

    [Fact]
    public void ExistingDestinationIsAConflict()
    {
        using var home = new TestHome();
        home.Mbox("Archive");
        home.Subscribe("Archive");
        home.File("IMAP/Archive", "already here");
        Assert.Contains(Plan(home).Conflicts, c => c.Path == "IMAP/Archive" && c.Reason.Contains("already exists", StringComparison.Ordinal));
    }

    [Fact]
    public void ObjectOfAnotherUserIsAConflict()
    {
        using var home = new TestHome();
        home.Mbox("Archive");
        TestHome.Chown(home.PathOf("Archive"), 0);
        home.Subscribe("Archive");
        Assert.Contains(Plan(home).Conflicts, c => c.Path == "Archive" && c.Reason.Contains("owned by uid 0", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("migrated")]
    [InlineData("migrating")]
    public void UserNotInLegacyStateIsAConflict(string state)
    {
        using var home = new TestHome();
        home.Mbox("Archive");
        home.Subscribe("Archive");
        home.SetState($"alice\t{state}");
        Assert.Contains(Plan(home).Conflicts, c => c.Reason.Contains($"state {state}, not legacy", StringComparison.Ordinal));
    }

    [Fact]
    public void MailboxNamedLikeTheMigratedRootIsAConflict()
    {
        using var home = new TestHome();
        home.Mbox("IMAP");
        home.Mbox("Archive");
        home.Subscribe("IMAP", "Archive");
        Assert.Contains(Plan(home).Conflicts, c => c.Path == "IMAP" && c.Reason.Contains("name of the migrated root", StringComparison.Ordinal));
    }

    [Fact]
    public void SourceOnAnotherFilesystemIsAConflict()
    {
        using var home = new TestHome();
        home.Mbox("Archive");
        home.Subscribe("Archive");
        // A tmpfs over the destination's parent: the planned renames would cross filesystems.
        home.Directory("IMAP");
        using var mount = new TmpfsMount(home.PathOf("IMAP"));
        TestHome.Chown(home.PathOf("IMAP"));
        Assert.Contains(Plan(home).Conflicts, c => c.Reason.Contains("different filesystem", StringComparison.Ordinal));
    }

    [Fact]
    public void NonMboxLocationIsRefused()
    {
        using var home = new TestHome();
        var config = home.Config with { Migrated = Locations.LocationTemplate.Parse("maildir:~/Maildir") };
        var migration = new UserMigration(config) { FindAccount = home.Migration.FindAccount };
        Assert.Contains("moving them does not convert them", Assert.Throws<MigrationException>(() => migration.Plan(TestHome.User, MailboxSelection.None)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RootOutsideTheHomeIsRefused()
    {
        using var home = new TestHome();
        var config = home.Config with { Migrated = Locations.LocationTemplate.Parse("mbox:/srv/mail/%u") };
        var migration = new UserMigration(config) { FindAccount = home.Migration.FindAccount };
        Assert.Contains("not inside the home", Assert.Throws<MigrationException>(() => migration.Plan(TestHome.User, MailboxSelection.None)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WholeFolderOfMailboxesMovesInOneRename()
    {
        using var home = new TestHome();
        home.Mbox("mail/a");
        home.Mbox("mail/b");
        home.Index("mail/a");
        home.Subscribe("mail/a", "mail/b");
        MigrationPlan plan = Plan(home);
        MoveEntry move = Assert.Single(plan.Steps.OfType<MoveEntry>(), m => m.From.StartsWith("mail", StringComparison.Ordinal));
        Assert.Equal(("mail", "IMAP/mail", EntryKind.Directory), (move.From, move.To, move.Kind));
    }
}
