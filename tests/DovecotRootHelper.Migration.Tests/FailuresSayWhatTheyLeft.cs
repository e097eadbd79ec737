namespace DovecotRootHelper.Migration.Tests;

/// <summary>
/// What a failure left is a property of the exception, not words to search for: a refusal touched
/// nothing; a failure mid-way left the user migrating and carries the command that goes on.
/// </summary>
public class FailuresSayWhatTheyLeft
{
    private sealed class SwapFolderForFile(TestHome home, string folder) : IMigrationObserver
    {
        public void PhaseStarted(string user, string description)
        {
        }

        public void StepStarted(string user, int index, int count, string description)
        {
            if (index != 1)
                return;
            Directory.Move(home.PathOf(folder), home.PathOf(folder + ".real"));
            home.File(folder, "in the way");
        }
    }

    [Fact]
    public void AConflictIsARefusalThatTouchedNothing()
    {
        using var home = new TestHome();
        home.Mbox("Archive");
        home.Subscribe("Archive");
        home.File("IMAP/Archive", "in the way");
        MigrationException e = Assert.Throws<MigrationException>(() => home.Migration.Migrate(TestHome.User, MailboxSelection.None));
        Assert.True(e.NothingTouched);
        Assert.Null(e.Remedy);
        Assert.EndsWith("; nothing was touched", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AStepThatFailsLeavesTheUserMigratingWithTheCommandThatGoesOn()
    {
        using var home = new TestHome();
        home.Mbox("mail/a");
        home.Mbox("mail/b");
        home.Subscribe("mail/a", "mail/b");
        var migration = new UserMigration(home.Config, new SwapFolderForFile(home, "mail")) { FindAccount = home.Migration.FindAccount };
        MigrationException e = Assert.Throws<MigrationException>(() => migration.Migrate(TestHome.User, MailboxSelection.None));
        Assert.False(e.NothingTouched);
        Assert.Equal("user left migrating: fix that, then imaproot resume alice, or imaproot resume --rollback alice", e.Remedy);
        Assert.EndsWith("; " + e.Remedy, e.Message, StringComparison.Ordinal);
        Assert.Equal("migrating", home.State());
    }
}
