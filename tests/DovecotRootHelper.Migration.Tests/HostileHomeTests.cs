namespace DovecotRootHelper.Migration.Tests;

/// <summary>The user races the migration: a folder becomes a symlink to a directory outside the home mid-way.</summary>
public class HostileHomeTests
{
    private sealed class SwapFolderForSymlink(TestHome home, string folder, string trigger) : IMigrationObserver
    {
        public bool Swapped { get; private set; }

        public void PhaseStarted(string user, string description)
        {
        }

        public void StepStarted(string user, int index, int count, string description)
        {
            if (Swapped || !description.StartsWith(trigger, StringComparison.Ordinal))
                return;
            Directory.Move(home.PathOf(folder), home.PathOf(folder + ".real"));
            home.Symlink(folder, home.Outside);
            Swapped = true;
        }
    }

    [Fact]
    public void FolderSwappedForASymlinkStopsTheMigrationAndNothingOutsideChanges()
    {
        using var home = new TestHome();
        home.Mbox("mail/a");
        home.Mbox("mail/precious");
        home.File("mail/keep.txt", "not mail");
        home.Subscribe("mail/a", "mail/precious");
        File.WriteAllText(Path.Combine(home.Outside, "a"), "outside a");
        Dictionary<string, TreeSnapshot.Entry> outsideBefore = Outside(home.Snapshot());

        var observer = new SwapFolderForSymlink(home, "mail", "mail/precious");
        var migration = new UserMigration(home.Config, observer) { FindAccount = home.Migration.FindAccount };
        MigrationException e = Assert.Throws<MigrationException>(() => migration.Migrate(TestHome.User, MailboxSelection.None));
        Assert.True(observer.Swapped);
        Assert.Contains("symlink", e.Message, StringComparison.Ordinal);
        Assert.Equal(outsideBefore, Outside(home.Snapshot()));
        Assert.Equal("migrating", home.State());
        Assert.NotNull(home.Migration.Pending(TestHome.User));

        // Rolling back through the planted link is refused too; outside stays untouched.
        Assert.Throws<MigrationException>(() => home.Migration.Resume(TestHome.User, rollback: true));
        Assert.Equal(outsideBefore, Outside(home.Snapshot()));

        // Once the admin puts the folder back, the rollback completes.
        File.Delete(home.PathOf("mail"));
        Directory.Move(home.PathOf("mail.real"), home.PathOf("mail"));
        home.Migration.Resume(TestHome.User, rollback: true);
        Assert.Equal("legacy", home.State());
        Assert.True(File.Exists(home.PathOf("mail/a")) && File.Exists(home.PathOf("mail/precious")));
    }

    private static Dictionary<string, TreeSnapshot.Entry> Outside(TreeSnapshot snapshot) =>
        snapshot.Entries.Where(e => e.Key.StartsWith("outside", StringComparison.Ordinal)).ToDictionary();
}
