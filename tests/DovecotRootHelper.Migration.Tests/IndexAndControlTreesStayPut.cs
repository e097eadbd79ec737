using DovecotRootHelper.Locations;
using DovecotRootHelper.Mailboxes;

namespace DovecotRootHelper.Migration.Tests;

/// <summary>
/// Issue 12 item 4: with INDEX= and CONTROL= outside the home (the same on both sides), the index
/// directories and the subscriptions file are read from those trees and stay there: Dovecot names
/// them after the mailboxes, which keep their names. Layouts that would move them are refused.
/// </summary>
public class IndexAndControlTreesStayPut
{
    private static UserMigration With(TestHome home, string legacyParameters, string migratedParameters)
    {
        var config = home.Config with
        {
            Legacy = LocationTemplate.Parse("mbox:~:INBOX=/var/mail/%u" + legacyParameters),
            Migrated = LocationTemplate.Parse("mbox:~/IMAP:INBOX=/var/mail/%u" + migratedParameters),
        };
        return new UserMigration(config) { FindAccount = home.Migration.FindAccount };
    }

    private static string Trees(TestHome home) => $":INDEX={home.Root}/index/%u:CONTROL={home.Root}/control/%u";

    // An index tree and a control tree as Dovecot lays them out: INDEX/mail/.imap/Archive, INDEX/.imap, CONTROL/.subscriptions.
    private static void Populate(TestHome home)
    {
        home.Mbox("mail/Archive");
        home.Mbox("Sent");
        home.File("mail/README", "not mail");
        foreach (string path in new[] { "index/alice/mail/.imap/Archive/dovecot.index", "index/alice/.imap/Sent/dovecot.index", "index/alice/.imap/dovecot.list.index", "control/alice/.subscriptions" })
        {
            string full = Path.Combine(home.Root, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, path.EndsWith(".subscriptions", StringComparison.Ordinal) ? "V\t2\n\nmail\tArchive\n" : "index");
        }
    }

    private static List<KeyValuePair<string, TreeSnapshot.Entry>> Under(TreeSnapshot snapshot, string prefix) =>
        [.. snapshot.Entries.Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal))];

    [Fact]
    public void EvidenceComesFromTheTreesAndOnlyTheMailboxesMove()
    {
        using var home = new TestHome();
        Populate(home);
        UserMigration migration = With(home, Trees(home), Trees(home));

        MigrationPlan plan = migration.Plan(TestHome.User, MailboxSelection.None);
        Assert.True(plan.CanExecute, string.Join("; ", plan.Conflicts));
        Assert.Equal(MailboxEvidence.Subscribed | MailboxEvidence.Indexed, plan.Mailboxes.Single(m => m.Name == "mail/Archive").Evidence);
        Assert.Equal(MailboxEvidence.Indexed, plan.Mailboxes.Single(m => m.Name == "Sent").Evidence);
        Assert.Equal(["Sent -> IMAP/Sent", "mail/Archive -> IMAP/mail/Archive"], plan.Steps.OfType<MoveEntry>().Select(m => $"{m.From} -> {m.To}"));
        Assert.Contains(plan.Notes, n => n.Path == $"{home.Root}/index/alice" && n.Reason.Contains("stay", StringComparison.Ordinal));
        Assert.Contains(plan.Notes, n => n.Path == $"{home.Root}/control/alice/.subscriptions" && n.Reason.Contains("stays", StringComparison.Ordinal));

        TreeSnapshot before = home.Snapshot();
        migration.Migrate(TestHome.User, MailboxSelection.None);
        TreeSnapshot migrated = home.Snapshot();
        Assert.Equal(before["home/alice/mail/Archive"], migrated["home/alice/IMAP/mail/Archive"]);
        Assert.Equal(Under(before, "index/"), Under(migrated, "index/"));
        Assert.Equal(Under(before, "control/"), Under(migrated, "control/"));

        migration.Rollback(TestHome.User);
        TreeSnapshot rolledBack = home.Snapshot();
        Assert.Equal(Under(before, "home/"), Under(rolledBack, "home/"));
        Assert.Equal(Under(before, "index/"), Under(rolledBack, "index/"));
    }

    [Fact]
    public void AnIndexTreeThatIsASymlinkIsNotFollowed()
    {
        using var home = new TestHome();
        home.Mbox("Sent");
        Directory.CreateDirectory(Path.Combine(home.Root, "index", "real", ".imap", "Sent"));
        File.CreateSymbolicLink(Path.Combine(home.Root, "index", "alice"), Path.Combine(home.Root, "index", "real"));
        MigrationPlan plan = With(home, Trees(home), Trees(home)).Plan(TestHome.User, MailboxSelection.None);
        PlanConflict conflict = Assert.Single(plan.Conflicts);
        Assert.Equal(($"{home.Root}/index/alice", true), (conflict.Path, conflict.Reason.Contains("not followed", StringComparison.Ordinal)));
        Assert.DoesNotContain(plan.Mailboxes, m => m.Name == "Sent");
    }

    [Theory]
    [InlineData(":INDEX=/srv/index/%u", ":INDEX=/srv/other/%u", "INDEX= differs between the locations (legacy /srv/index/alice, migrated /srv/other/alice)")]
    [InlineData(":INDEX=/srv/index/%u", "", "INDEX= differs between the locations (legacy /srv/index/alice, migrated unset)")]
    [InlineData("", ":CONTROL=/srv/control/%u", "CONTROL= differs between the locations (legacy unset, migrated /srv/control/alice)")]
    public void LayoutsThatWouldMoveBetweenTreesAreRefusedWithTheReason(string legacy, string migrated, string reason)
    {
        using var home = new TestHome();
        home.Mbox("Archive");
        string message = Assert.Throws<MigrationException>(() => With(home, legacy, migrated).Plan(TestHome.User, MailboxSelection.None)).Message;
        Assert.StartsWith("alice: " + reason, message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', message);
    }
}
