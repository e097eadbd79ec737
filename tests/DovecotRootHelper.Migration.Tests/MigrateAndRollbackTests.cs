namespace DovecotRootHelper.Migration.Tests;

public class MigrateAndRollbackTests
{
    private static void Populate(TestHome home)
    {
        home.Mbox("Archive");
        home.Index("Archive");
        home.File(".imap/dovecot.list.index", "list");
        home.Mbox("mail/Sent");
        home.Index("mail/Sent");
        home.Mbox("mail/Untracked");
        home.File("mail/notes.txt", "not mail");
        home.Mbox("sub/Entw&APw-rfe");
        home.File(".bashrc", "alias ll='ls -l'");
        home.File("Documents/report.odt", "binary", 0x1A4);
        home.Symlink("mail/link", home.Outside);
        home.Subscribe("Archive", "mail/Sent", "sub/Entw&APw-rfe", "Gone");
    }

    [Fact]
    public void MailboxesMoveWithTheirIndexesAndEverythingElseStays()
    {
        using var home = new TestHome();
        Populate(home);
        TreeSnapshot before = home.Snapshot();
        MigrationResult result = home.Migration.Migrate(TestHome.User, MailboxSelection.None);
        TreeSnapshot after = home.Snapshot();

        Assert.Equal(State.UserState.Migrated, result.FinalState);
        Assert.Equal("migrated", home.State());
        string h = "home/alice/";
        foreach (string moved in new[] { "Archive", ".imap/Archive/dovecot.index", ".imap/dovecot.list.index", "mail/Sent", "mail/.imap/Sent/dovecot.index", "sub/Entw&APw-rfe", ".subscriptions" })
        {
            Assert.Equal(before[h + moved], after[h + "IMAP/" + moved]);
            Assert.Null(after[h + moved]);
        }
        foreach (string kept in new[] { "mail/Untracked", "mail/notes.txt", ".bashrc", "Documents/report.odt", "mail/link", "../../outside/precious" })
            Assert.Equal(before[Path.GetFullPath(h + kept, "/").TrimStart('/')], after[Path.GetFullPath(h + kept, "/").TrimStart('/')]);
        Assert.Null(home.Migration.Pending(TestHome.User));
    }

    [Fact]
    public void RollbackRestoresTheTreeExactly()
    {
        using var home = new TestHome();
        Populate(home);
        TreeSnapshot before = home.Snapshot();
        home.Migration.Migrate(TestHome.User, MailboxSelection.None);
        MigrationResult result = home.Migration.Rollback(TestHome.User);
        Assert.Equal(State.UserState.Legacy, result.FinalState);
        Assert.Equal("legacy", home.State());
        Assert.Equal(Without(before, "state", "journal", "state.lock"), Without(home.Snapshot(), "state", "journal", "state.lock"));
    }

    [Fact]
    public void RollbackSetsAsideTheIndexDovecotMadeInTheMigratedRoot()
    {
        using var home = new TestHome();
        home.Mbox("Archive");
        home.Subscribe("Archive");
        home.Migration.Migrate(TestHome.User, MailboxSelection.None);
        // Dovecot served the migrated root: its index of the root, which the legacy root never had.
        home.File("IMAP/.imap/dovecot.list.index.log", "log");
        home.File("IMAP/.imap/Archive/dovecot.index.log", "log");

        MigrationResult result = home.Migration.Rollback(TestHome.User);

        Assert.Equal(State.UserState.Legacy, result.FinalState);
        Assert.Equal("legacy", home.State());
        Assert.False(System.IO.Directory.Exists(home.PathOf("IMAP")));
        Assert.True(System.IO.File.Exists(home.PathOf("Archive")));
        string line = Assert.Single(result.Messages, m => m.StartsWith("set aside what Dovecot had recreated: IMAP/.imap -> .imaproot-set-aside/", StringComparison.Ordinal));
        string aside = line[(line.IndexOf(" -> ", StringComparison.Ordinal) + 4)..];
        Assert.Equal("log", System.IO.File.ReadAllText(home.PathOf(Path.Combine(aside, "Archive/dovecot.index.log"))));
    }

    [Fact]
    public void RollbackStopsAtAFileOfTheUsersInTheMigratedRoot()
    {
        using var home = new TestHome();
        home.Mbox("Archive");
        home.Subscribe("Archive");
        Assert.Equal(State.UserState.Migrated, home.Migration.Migrate(TestHome.User, MailboxSelection.None).FinalState);
        home.File("IMAP/.imap/dovecot.list.index.log", "log");
        home.File("IMAP/notes.txt", "alice's own");

        MigrationException e = Assert.Throws<MigrationException>(() => home.Migration.Rollback(TestHome.User));

        Assert.Contains("alice: IMAP: not empty (notes.txt...), so not removed; move it away and resume the rollback", e.Message, StringComparison.Ordinal);
        Assert.Equal("alice's own", System.IO.File.ReadAllText(home.PathOf("IMAP/notes.txt")));
        Assert.True(System.IO.File.Exists(home.PathOf("IMAP/.imap/dovecot.list.index.log")));
    }

    [Fact]
    public void MigrateRefusesWhilePlanHasConflictsAndTouchesNothing()
    {
        using var home = new TestHome();
        Populate(home);
        home.File("IMAP/Archive", "in the way");
        TreeSnapshot before = home.Snapshot();
        Assert.Contains("nothing was touched", Assert.Throws<MigrationException>(() => home.Migration.Migrate(TestHome.User, MailboxSelection.None)).Message, StringComparison.Ordinal);
        Assert.Equal(Without(before, "journal"), Without(home.Snapshot(), "journal"));
        Assert.Equal("(none)", home.State());
    }

    [Fact]
    public void SessionsThatDoNotClosePutTheUserBackToLegacyWithNothingMoved()
    {
        using var home = new TestHome(who: "/bin/echo username=alice service=imap pid=1 ip=127.0.0.1", kickTimeout: 0);
        Populate(home);
        TreeSnapshot before = home.Snapshot();
        Assert.Contains("session(s) still open", Assert.Throws<MigrationException>(() => home.Migration.Migrate(TestHome.User, MailboxSelection.None)).Message, StringComparison.Ordinal);
        Assert.Equal("legacy", home.State());
        Assert.Null(home.Migration.Pending(TestHome.User));
        Assert.Equal(Without(before, "state", "journal", "state.lock"), Without(home.Snapshot(), "state", "journal", "state.lock"));
    }

    private static Dictionary<string, TreeSnapshot.Entry> Without(TreeSnapshot snapshot, params string[] prefixes) =>
        snapshot.Entries.Where(e => !prefixes.Any(p => e.Key == p || e.Key.StartsWith(p + "/", StringComparison.Ordinal) || e.Key.StartsWith(p + ".", StringComparison.Ordinal)))
            .ToDictionary(e => e.Key, e => e.Value);
}
