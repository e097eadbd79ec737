using System.Text.Json;
using DovecotRootHelper.EndToEnd.Tests.Infrastructure;

namespace DovecotRootHelper.EndToEnd.Tests;

/// <summary>
/// Issue 12 item 4, live: with INDEX= and CONTROL= outside the home, Dovecot keeps every index
/// directory and the subscriptions file in those trees, named after the mailboxes; imaproot moves
/// only the mailbox files, and migrate and rollback keep UIDVALIDITY, UIDNEXT, message counts,
/// flags and subscriptions, with the trees untouched.
/// </summary>
public abstract class IndexAndControlOutsideTheHome(IndexControlDovecot dovecot)
{
    [Fact]
    public void MigrateThenRollbackKeepEveryRecordAndLeaveTheTrees()
    {
        TestUser alice = dovecot.Alice;
        MailboxUse.SelectFlagAndSubscribe(dovecot, alice, MigrationDovecot.Mailboxes.Keys, MigrationDovecot.Subscribed);
        // What Dovecot itself did: indexes under INDEX/<folder>/.imap/<name>, subscriptions in CONTROL, neither in the home.
        string index = dovecot.IndexTree(alice);
        Assert.True(Directory.Exists(Path.Combine(index, "mail", ".imap", "Archive")), Listing(index));
        Assert.True(Directory.Exists(Path.Combine(index, "Projekte", "2024", ".imap", "Q1")), Listing(index));
        Assert.True(File.Exists(Path.Combine(dovecot.ControlTree(alice), ".subscriptions")));
        Assert.False(Path.Exists(Path.Combine(alice.Home, ".imap")));
        Assert.False(Path.Exists(Path.Combine(alice.Home, "mail", ".imap")));
        Assert.False(Path.Exists(Path.Combine(alice.Home, ".subscriptions")));
        ImapRecords before = Records(alice);
        string trees = TreeRecord(alice);

        using (JsonDocument plan = JsonDocument.Parse(dovecot.Imaproot("plan", alice.Name, "--json").Succeeded().Stdout))
        {
            var moving = plan.RootElement.GetProperty("mailboxes").EnumerateArray()
                .Where(m => m.GetProperty("disposition").GetString() == "moves")
                .ToDictionary(m => m.GetProperty("name").GetString()!, m => m.GetProperty("evidence").EnumerateArray().Select(e => e.GetString()!).ToArray());
            Assert.Equal(MigrationDovecot.Mailboxes.Keys.Order(StringComparer.Ordinal), moving.Keys.Order(StringComparer.Ordinal));
            Assert.All(moving.Values, evidence => Assert.Contains("indexed", evidence));
            Assert.Contains("subscribed", moving["mail/Archive"]);
            Assert.All(plan.RootElement.GetProperty("steps").EnumerateArray(), step => Assert.DoesNotContain(".imap", step.GetProperty("description").GetString()!, StringComparison.Ordinal));
        }

        dovecot.Imaproot("migrate", alice.Name, "--yes").Succeeded();

        foreach (string mailbox in MigrationDovecot.Mailboxes.Keys)
            Assert.True(File.Exists(Path.Combine(alice.Home, "IMAP", mailbox)), mailbox);
        Assert.Equal(trees, TreeRecord(alice));
        ImapRecords migrated = Records(alice);
        AssertSameRecords(before, migrated);

        dovecot.Imaproot("rollback", alice.Name).Succeeded();

        foreach (string mailbox in MigrationDovecot.Mailboxes.Keys)
            Assert.True(File.Exists(Path.Combine(alice.Home, mailbox)), mailbox);
        AssertSameRecords(before, Records(alice));
    }

    private ImapRecords Records(TestUser user) =>
        ImapRecords.Take(dovecot, user, MigrationDovecot.Mailboxes.Keys, new HashSet<string>(StringComparer.Ordinal));

    private static void AssertSameRecords(ImapRecords expected, ImapRecords actual)
    {
        Assert.Equal(expected.Lsub, actual.Lsub);
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.Messages, actual.Messages);
        Assert.All(MigrationDovecot.Mailboxes.Keys.Select(ImapRecords.Decode), name => Assert.Contains(name, actual.FullList));
    }

    // The index and control trees' directories and the inodes of their index directories: unmoved.
    private string TreeRecord(TestUser user) =>
        Command.Run("stat", ["-c", "%n %i", .. new[] { dovecot.IndexTree(user), dovecot.ControlTree(user) }
            .SelectMany(t => Directory.EnumerateDirectories(t, "*", SearchOption.AllDirectories))
            .Order(StringComparer.Ordinal)]);

    private static string Listing(string directory) =>
        string.Join('\n', Directory.EnumerateFileSystemEntries(directory, "*", SearchOption.AllDirectories));
}

/// <summary>On Debian 12's Dovecot 2.3.</summary>
public sealed class IndexAndControlOutsideTheHomeOnDovecot23(IndexControlDovecot23 dovecot) : IndexAndControlOutsideTheHome(dovecot), IClassFixture<IndexControlDovecot23>;

/// <summary>On Debian 13's Dovecot 2.4, in the cached Debian 13 tree.</summary>
public sealed class IndexAndControlOutsideTheHomeOnDovecot24(IndexControlDovecot24 dovecot) : IndexAndControlOutsideTheHome(dovecot), IClassFixture<IndexControlDovecot24>;

/// <summary>On Debian forky's Dovecot 2.4.5, in the cached forky tree.</summary>
public sealed class IndexAndControlOutsideTheHomeOnDovecot245(IndexControlDovecot245 dovecot) : IndexAndControlOutsideTheHome(dovecot), IClassFixture<IndexControlDovecot245>;
