using DovecotRootHelper.Posix;

namespace DovecotRootHelper.Migration.Tests;

/// <summary>
/// Issue 12 item 5: a user's own filter (procmail, .forward, maildrop, Sieve) that names a path or
/// mailbox the plan moves is shown by plan and blocks migrate until it is edited or handled.
/// </summary>
public class MailFilterReferencesBlockUntilResolved
{
    private static TestHome Home()
    {
        var home = new TestHome();
        home.Mbox("mail/Archive", "archived");
        home.File("mail/notes.txt", "not mail"); // keeps mail/ from moving whole
        home.Mbox("Lists");
        home.Subscribe("mail/Archive", "Lists");
        return home;
    }

    // The journal directory and the user's lock beside the home are imaproot's own.
    private static List<KeyValuePair<string, TreeSnapshot.Entry>> InHome(TreeSnapshot snapshot) =>
        [.. snapshot.Entries.Where(e => e.Key.StartsWith("home/", StringComparison.Ordinal))];

    private static UserMigration With(TestHome home, FilterReferenceHandling handling) =>
        new(home.Config) { FindAccount = home.Migration.FindAccount, FilterReferences = handling };

    [Fact]
    public void ProcmailActionRelativeToMaildirIsAConflictNamingFileAndLine()
    {
        using TestHome home = Home();
        home.File(".procmailrc", "MAILDIR=$HOME/mail\n# Archive is where lists go\n:0:\n* ^Subject:.*Archive\nArchive\n");
        TreeSnapshot before = home.Snapshot();

        MigrationPlan plan = home.Migration.Plan(TestHome.User, MailboxSelection.None);
        FilterReference reference = Assert.Single(plan.FilterReferences);
        Assert.Equal((".procmailrc", 5, "Archive", "mail/Archive", "IMAP/mail/Archive", FilterReferenceResolution.Unresolved),
            (reference.File, reference.Line, reference.Written, reference.Moves, reference.MovesTo, reference.Resolution));
        Assert.Contains(plan.Conflicts, c => c.Path == ".procmailrc:5" && c.Reason.Contains("--filter-references=symlink", StringComparison.Ordinal));

        var refused = Assert.Throws<MigrationException>(() => home.Migration.Migrate(TestHome.User, MailboxSelection.None));
        Assert.StartsWith("alice: .procmailrc:5: Archive names mail/Archive, which moves to IMAP/mail/Archive", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', refused.Message);
        Assert.Equal(InHome(before), InHome(home.Snapshot()));
    }

    [Fact]
    public void EditedFilterNoLongerBlocks()
    {
        using TestHome home = Home();
        home.File(".procmailrc", ":0:\n$HOME/mail/Archive\n");
        Assert.False(home.Migration.Plan(TestHome.User, MailboxSelection.None).CanExecute);
        home.File(".procmailrc", ":0:\n$HOME/IMAP/mail/Archive\n");
        MigrationPlan plan = home.Migration.Plan(TestHome.User, MailboxSelection.None);
        Assert.Empty(plan.FilterReferences);
        Assert.True(plan.CanExecute);
    }

    [Theory]
    [InlineData(".forward", "\"|/usr/bin/procmail\", @HOME@/mail/Archive\n", 1, "@HOME@/mail/Archive")]
    [InlineData(".forward", "mail/Archive\n~/Lists\n", 2, "~/Lists")]
    [InlineData(".mailfilter", "if (/^Subject: mail\\/Archive/)\n{\n  to \"mail/Archive\"\n}\n", 3, "mail/Archive")]
    [InlineData(".procmail/lists.rc", ":0\n* ^List-Id:.*Lists\n${HOME}/./mail/../Lists\n", 3, "${HOME}/./mail/../Lists")]
    [InlineData(".procmail/lists.rc", "MAILDIR=$HOME\n:0\nLists\n", 3, "Lists")]
    [InlineData(".procmail/lists.rc", ":0\n../mail/Archive\n", 2, "../mail/Archive")]
    [InlineData("sieve/main.sieve", "require [\"fileinto\", \"imap4flags\"];\n# fileinto \"Lists\";\nif header :contains \"subject\" \"mail/Archive\" {\n  fileinto :flags \"\\\\Seen\" \"mail/Archive\";\n}\n", 4, "fileinto \"mail/Archive\"")]
    [InlineData(".dovecot.sieve", "require \"fileinto\"; if true { fileinto \"Lists\"; stop; }", 1, "fileinto \"Lists\"")]
    public void EveryFilterLanguageIsRead(string file, string text, int line, string written)
    {
        using TestHome home = Home();
        // procmail reads what .procmailrc includes, and only that.
        home.File(".procmailrc", "MAILDIR=$HOME/.procmail\nINCLUDERC=lists.rc\n");
        home.File(".procmail/log", "  Folder: Lists\n" + new string('x', MailFilterScan.FileLimit));
        home.File(file, text.Replace("@HOME@", home.Home, StringComparison.Ordinal));
        MigrationPlan plan = home.Migration.Plan(TestHome.User, MailboxSelection.None);
        Assert.DoesNotContain(plan.Conflicts, c => c.Path.StartsWith(".procmail/log", StringComparison.Ordinal));
        FilterReference reference = Assert.Single(plan.FilterReferences);
        Assert.Equal((file, line, written.Replace("@HOME@", home.Home, StringComparison.Ordinal)), (reference.File, reference.Line, reference.Written));
    }

    [Fact]
    public void ConditionsCommentsAndOtherPathsAreNotReferences()
    {
        using TestHome home = Home();
        home.File(".procmailrc", "# mail/Archive\n:0\n* ^Subject: Lists\n! someone@example.org\n:0\n/var/mail/alice\n:0\nmail/notes.txt\nLOGFILE=$HOME/procmail.log\n");
        home.File(".forward", "Lists\n/home/other/mail/Archive\n");
        home.File("sieve/x.sieve", "if header :is \"x-list\" \"Lists\" { keep; } /* fileinto \"Lists\"; */");
        MigrationPlan plan = home.Migration.Plan(TestHome.User, MailboxSelection.None);
        Assert.Empty(plan.FilterReferences);
        Assert.True(plan.CanExecute);
    }

    [Fact]
    public void SymlinkHandlingLeavesTheUsersLinkAndRollbackTakesItAway()
    {
        using TestHome home = Home();
        home.File(".procmailrc", ":0:\n$HOME/mail/Archive\n");
        TreeSnapshot before = home.Snapshot();
        UserMigration migration = With(home, FilterReferenceHandling.Symlink);

        MigrationPlan plan = migration.Plan(TestHome.User, MailboxSelection.None);
        Assert.Equal(FilterReferenceResolution.Symlink, Assert.Single(plan.FilterReferences).Resolution);
        Assert.Equal(new CreateSymlink("mail/Archive", "../IMAP/mail/Archive"), plan.Steps[^1]);

        migration.Migrate(TestHome.User, MailboxSelection.None);
        FileStatus link = Sys.LinkStatusOrNull(home.PathOf("mail/Archive"))!.Value;
        Assert.True(link.IsSymbolicLink);
        Assert.Equal(TestHome.Uid, link.Uid);
        Assert.Contains("archived", File.ReadAllText(home.PathOf("mail/Archive")), StringComparison.Ordinal);
        Assert.False(Sys.LinkStatusOrNull(home.PathOf("IMAP/mail/Archive"))!.Value.IsSymbolicLink);

        migration.Rollback(TestHome.User);
        Assert.Equal(InHome(before), InHome(home.Snapshot()));
    }

    [Fact]
    public void RollbackLeavesALinkTheUserReplaced()
    {
        using TestHome home = Home();
        home.File(".procmailrc", ":0:\n$HOME/mail/Archive\n");
        UserMigration migration = With(home, FilterReferenceHandling.Symlink);
        migration.Migrate(TestHome.User, MailboxSelection.None);
        File.Delete(home.PathOf("mail/Archive"));
        home.Symlink("mail/Archive", home.Outside + "/precious");

        var refused = Assert.Throws<MigrationException>(() => migration.Rollback(TestHome.User));
        Assert.Contains("mail/Archive: no longer the symlink", refused.Message, StringComparison.Ordinal);
        Assert.Equal("not alice's\n", File.ReadAllText(Path.Combine(home.Outside, "precious")));
    }

    [Fact]
    public void ConfirmedMigratesAndLeavesTheFilterAsItIs()
    {
        using TestHome home = Home();
        string rc = home.File(".procmailrc", ":0:\n$HOME/mail/Archive\n");
        MigrationResult result = With(home, FilterReferenceHandling.Confirmed).Migrate(TestHome.User, MailboxSelection.None);
        Assert.Equal(FilterReferenceResolution.Confirmed, Assert.Single(result.Plan.FilterReferences).Resolution);
        Assert.Null(Sys.LinkStatusOrNull(home.PathOf("mail/Archive")));
        Assert.Equal(":0:\n$HOME/mail/Archive\n", File.ReadAllText(rc));
    }

    [Fact]
    public void AFilterThatIsASymlinkIsNotFollowedAndCannotBeChecked()
    {
        using TestHome home = Home();
        home.Symlink(".procmailrc", home.Outside + "/precious");
        home.File("sieve/main.sieve", "keep;");
        home.Symlink(".dovecot.sieve", "sieve/main.sieve");
        MigrationPlan plan = home.Migration.Plan(TestHome.User, MailboxSelection.None);
        PlanConflict conflict = Assert.Single(plan.Conflicts);
        Assert.Equal(".procmailrc", conflict.Path);
        Assert.Contains("cannot be checked", conflict.Reason, StringComparison.Ordinal);
        Assert.Contains(plan.Notes, n => n.Path == ".dovecot.sieve" && n.Reason.Contains("sieve/main.sieve", StringComparison.Ordinal));
        Assert.True(With(home, FilterReferenceHandling.Confirmed).Plan(TestHome.User, MailboxSelection.None).CanExecute);
    }

    [Fact]
    public void AnIncludeThatCannotBeResolvedOrASymlinkedSieveDirectoryCannotBeChecked()
    {
        using TestHome home = Home();
        home.File(".procmailrc", "INCLUDERC=$HOME/.procmail/$LISTS\nINCLUDERC=/etc/procmailrcs/lists\n");
        home.Symlink("sieve", home.Outside);
        MigrationPlan plan = home.Migration.Plan(TestHome.User, MailboxSelection.None);
        Assert.Equal([".procmailrc:1", ".procmailrc:2", "sieve"], plan.Conflicts.Select(c => c.Path));
        Assert.Contains("cannot resolve", plan.Conflicts[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AnIncludedFileTheUserCannotReadIsNotRead()
    {
        using TestHome home = Home();
        home.File(".procmailrc", "INCLUDERC=$HOME/.secret\nINCLUDERC=$HOME/.public\n");
        // Root's: one only root may read, one everyone may.
        home.File(".secret", "SECRET=hunter2\n:0\n$HOME/mail/Archive\n");
        TestHome.Chown(home.PathOf(".secret"), 0);
        home.File(".public", ":0\n$HOME/Lists\n", mode: 0x1A4);
        TestHome.Chown(home.PathOf(".public"), 0);

        MigrationPlan plan = home.Migration.Plan(TestHome.User, MailboxSelection.None);
        FilterReference reference = Assert.Single(plan.FilterReferences);
        Assert.Equal((".public", "$HOME/Lists"), (reference.File, reference.Written));
        PlanConflict secret = Assert.Single(plan.Conflicts, c => c.Path == ".secret");
        Assert.Contains("owned by uid 0, mode 600: alice may not be able to read it; not read", secret.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(plan.Conflicts.Concat<object>(plan.Notes).Concat(plan.FilterReferences), o => o.ToString()!.Contains("mail/Archive names", StringComparison.Ordinal) || o.ToString()!.Contains("hunter2", StringComparison.Ordinal));
        Assert.True(With(home, FilterReferenceHandling.Confirmed).Plan(TestHome.User, MailboxSelection.None).CanExecute);
    }

    [Fact]
    public void AFilterLargerThanTheLimitCannotBeChecked()
    {
        using TestHome home = Home();
        home.File(".mailfilter", new string('#', MailFilterScan.FileLimit + 1));
        Assert.Contains(home.Migration.Plan(TestHome.User, MailboxSelection.None).Conflicts,
            c => c.Path == ".mailfilter" && c.Reason.Contains("larger than", StringComparison.Ordinal));
    }
}
