using System.Text.Json;
using DovecotRootHelper.EndToEnd.Tests.Infrastructure;
using MailKit;
using MailKit.Net.Imap;

namespace DovecotRootHelper.EndToEnd.Tests;

/// <summary>
/// imaproot migrate and rollback against Debian's Dovecot (2.3 and 2.4) with the login hook: before,
/// after and after rollback the client sees the same mailboxes, UIDVALIDITY, UIDNEXT, message
/// counts, flags and keywords; the files move under $HOME/IMAP and back; the clutter never moves;
/// a session open during the migration is kicked.
/// </summary>
public abstract class MigrationIsInvisibleToTheClient(MigrationDovecot dovecot)
{
    private static readonly HashSet<string> ClutterNames = ClutterListNames();

    [Fact]
    public void MigrateThenRollbackKeepEveryRecordAndMoveOnlyTheMailboxes()
    {
        TestUser alice = dovecot.Alice;
        MailboxUse.SelectFlagAndSubscribe(dovecot, alice, MigrationDovecot.Mailboxes.Keys, MigrationDovecot.Subscribed);
        ImapRecords before = Records(alice);
        Assert.Equal(MigrationDovecot.Subscribed.Select(ImapRecords.Decode).Order(StringComparer.Ordinal), before.Lsub);
        // The $HOME root shows the clutter as mailboxes: the very problem being solved.
        Assert.Contains("notes.txt", before.FullList);

        string status = dovecot.Imaproot("status", alice.Name).Succeeded().Stdout;
        Assert.Contains($"{alice.Name}: legacy (listed in {dovecot.StatePath} line 2)", status, StringComparison.Ordinal);
        Assert.Contains("journal: none pending", status, StringComparison.Ordinal);
        AssertPlanMovesEveryMailbox(alice);

        dovecot.Imaproot("migrate", alice.Name, "--yes").Succeeded();

        AssertOnDisk(alice, Path.Combine(alice.Home, "IMAP"), movedAway: alice.Home);
        Assert.Contains($"{alice.Name}\tmigrated", File.ReadAllText(dovecot.StatePath), StringComparison.Ordinal);
        status = dovecot.Imaproot("status", alice.Name).Succeeded().Stdout;
        Assert.Contains($"{alice.Name}: migrated", status, StringComparison.Ordinal);
        // The location in the generation's own userdb fields: mail for 2.3, mail_driver, mail_path, ... for 2.4.
        Assert.Contains(dovecot.Generation.Is24() ? $"mail_path: {alice.Home}/IMAP\n" : $"mail: mbox:{alice.Home}/IMAP:INBOX=", status, StringComparison.Ordinal);
        Assert.Contains("journal: none pending", status, StringComparison.Ordinal);
        ImapRecords migrated = Records(alice);
        AssertSameRecords(before, migrated);
        Assert.DoesNotContain("notes.txt", migrated.FullList);
        Assert.Equal(before.List, migrated.FullList);

        dovecot.Imaproot("rollback", alice.Name).Succeeded();

        AssertOnDisk(alice, alice.Home, movedAway: Path.Combine(alice.Home, "IMAP"));
        Assert.Contains($"{alice.Name}\tlegacy", File.ReadAllText(dovecot.StatePath), StringComparison.Ordinal);
        Assert.Contains($"{alice.Name}: legacy", dovecot.Imaproot("status", alice.Name).Succeeded().Stdout, StringComparison.Ordinal);
        ImapRecords rolledBack = Records(alice);
        AssertSameRecords(before, rolledBack);
        Assert.Equal(before.FullList, rolledBack.FullList);
    }

    [Fact]
    public void AnOpenSessionIsKickedAndTheNextLoginSeesTheSameMailboxes()
    {
        TestUser bob = dovecot.Bob;
        MailboxUse.SelectFlagAndSubscribe(dovecot, bob, MigrationDovecot.Mailboxes.Keys, MigrationDovecot.Subscribed);
        ImapRecords before = Records(bob);
        using var transcript = new MemoryStream();
        using ImapClient open = MailClients.Imap(dovecot, transcript);
        open.Authenticate(bob.Name, TestUser.Password);
        open.GetFolder("mail/Archive").Open(FolderAccess.ReadWrite);
        Assert.Single(dovecot.Sessions(bob));

        dovecot.Imaproot("migrate", bob.Name, "--yes").Succeeded();

        Assert.Empty(dovecot.Sessions(bob));
        Assert.ThrowsAny<Exception>(() => open.NoOp());
        Assert.False(open.IsConnected);
        AssertSameRecords(before, Records(bob));
        Assert.Contains($"{bob.Name}\tmigrated", File.ReadAllText(dovecot.StatePath), StringComparison.Ordinal);
    }

    [Fact]
    public void SubscribedDotFilesAndPlainFilesStayInTheHome()
    {
        TestUser carol = dovecot.Carol;
        string[] notMail = [".bashrc", ".profile", "notes.txt"];
        // A client that subscribes to whatever the $HOME root lists.
        MailboxUse.SelectFlagAndSubscribe(dovecot, carol, MigrationDovecot.Mailboxes.Keys, [.. MigrationDovecot.Subscribed, .. notMail]);
        ImapRecords before = Records(carol);
        Assert.All(notMail, name => Assert.Contains(name, before.Lsub));
        Dictionary<string, string> files = notMail.ToDictionary(name => name, name => FileRecord(Path.Combine(carol.Home, name)));

        using (JsonDocument plan = JsonDocument.Parse(dovecot.Imaproot("plan", carol.Name, "--json").Succeeded().Stdout))
        {
            Dictionary<string, string> dispositions = plan.RootElement.GetProperty("mailboxes").EnumerateArray()
                .ToDictionary(m => m.GetProperty("name").GetString()!, m => m.GetProperty("disposition").GetString()!);
            Assert.Equal(MigrationDovecot.Mailboxes.Keys.Order(StringComparer.Ordinal), dispositions.Where(d => d.Value == "moves").Select(d => d.Key).Order(StringComparer.Ordinal));
            Assert.All(notMail, name => Assert.Equal("left", dispositions[name]));
            string[] notes = [.. plan.RootElement.GetProperty("notes").EnumerateArray().Select(n => $"{n.GetProperty("path").GetString()}: {n.GetProperty("reason").GetString()}")];
            Assert.Contains(".bashrc: a dot-entry at the home's top level: never moved", notes);
            Assert.Contains(notes, n => n.StartsWith("notes.txt: subscribed", StringComparison.Ordinal) && n.EndsWith("but not an mbox (neither empty nor starting with \"From \"): not moved", StringComparison.Ordinal));
        }

        dovecot.Imaproot("migrate", carol.Name, "--yes").Succeeded();

        AssertOnDisk(carol, Path.Combine(carol.Home, "IMAP"), movedAway: carol.Home);
        foreach (string name in notMail)
        {
            Assert.Equal(files[name], FileRecord(Path.Combine(carol.Home, name)));
            Assert.False(Path.Exists(Path.Combine(carol.Home, "IMAP", name)), name + " was moved or copied");
        }
        ImapRecords migrated = Records(carol);
        // Same mailboxes, same records; the subscriptions file moved unchanged, so the names left
        // behind are still subscribed (Dovecot shows them as nonexistent) and LIST no longer has them.
        AssertSameRecords(before, migrated);
        Assert.All(notMail, name => Assert.DoesNotContain(name, migrated.FullList));
    }

    /// <summary>A file's bytes, size and mtime, to show it was not touched.</summary>
    private static string FileRecord(string path) =>
        $"{Convert.ToHexString(File.ReadAllBytes(path))} {new FileInfo(path).Length} {File.GetLastWriteTimeUtc(path).Ticks}";

    private ImapRecords Records(TestUser user) => ImapRecords.Take(dovecot, user, MigrationDovecot.Mailboxes.Keys, ClutterNames);

    private static void AssertSameRecords(ImapRecords expected, ImapRecords actual)
    {
        Assert.Equal(expected.List, actual.List);
        Assert.Equal(expected.Lsub, actual.Lsub);
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.Messages, actual.Messages);
    }

    private void AssertPlanMovesEveryMailbox(TestUser user)
    {
        using JsonDocument plan = JsonDocument.Parse(dovecot.Imaproot("plan", user.Name, "--json").Succeeded().Stdout);
        Assert.True(plan.RootElement.GetProperty("canExecute").GetBoolean());
        Assert.Equal("IMAP", plan.RootElement.GetProperty("migratedRoot").GetString());
        // The LIST a client did over the $HOME root indexed the clutter too: those are listed, never moved.
        var mailboxes = plan.RootElement.GetProperty("mailboxes").EnumerateArray()
            .Where(m => m.GetProperty("disposition").GetString() == "moves")
            .ToDictionary(m => m.GetProperty("name").GetString()!);
        Assert.Equal(MigrationDovecot.Mailboxes.Keys.Order(StringComparer.Ordinal), mailboxes.Keys.Order(StringComparer.Ordinal));
        foreach ((string name, JsonElement mailbox) in mailboxes)
        {
            Assert.Equal("moves", mailbox.GetProperty("disposition").GetString());
            string[] evidence = [.. mailbox.GetProperty("evidence").EnumerateArray().Select(e => e.GetString()!)];
            Assert.Contains("indexed", evidence);
            Assert.Equal(MigrationDovecot.Subscribed.Contains(name), evidence.Contains("subscribed"));
        }
        Assert.Equal("Entwürfe", mailboxes["Entw&APw-rfe"].GetProperty("displayName").GetString());
        Assert.Equal(0, plan.RootElement.GetProperty("conflicts").GetArrayLength());
    }

    /// <summary>Every mailbox and its index under <paramref name="root"/>, none left under <paramref name="movedAway"/>, the clutter untouched.</summary>
    private static void AssertOnDisk(TestUser user, string root, string movedAway)
    {
        foreach (string mailbox in MigrationDovecot.Mailboxes.Keys)
        {
            Assert.True(File.Exists(Path.Combine(root, mailbox)), $"{mailbox} is not under {root}");
            Assert.True(Directory.Exists(Path.Combine(root, IndexDirectory(mailbox))), $"{mailbox}'s index is not under {root}");
            Assert.False(File.Exists(Path.Combine(movedAway, mailbox)), $"{mailbox} is still under {movedAway}");
        }
        Assert.True(File.Exists(Path.Combine(root, ".subscriptions")));
        foreach ((string path, string contents) in MigrationDovecot.Junk)
            Assert.Equal(contents, File.ReadAllText(Path.Combine(user.Home, path)));
        Assert.False(File.Exists(Path.Combine(user.Home, "IMAP", "notes.txt")));
    }

    private static string IndexDirectory(string mailbox)
    {
        int slash = mailbox.LastIndexOf('/');
        return slash < 0 ? $".imap/{mailbox}" : $"{mailbox[..slash]}/.imap/{mailbox[(slash + 1)..]}";
    }

    /// <summary>What LIST shows of the clutter under a $HOME root: each junk file and the directories holding only junk.</summary>
    private static HashSet<string> ClutterListNames()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (string path in MigrationDovecot.Junk.Keys)
        {
            for (string? p = path; !string.IsNullOrEmpty(p); p = Path.GetDirectoryName(p))
            {
                if (!MigrationDovecot.Mailboxes.Keys.Any(m => m.StartsWith(p + "/", StringComparison.Ordinal)))
                    names.Add(p);
            }
        }
        return names;
    }
}

/// <summary>On Debian 12's Dovecot 2.3.</summary>
public sealed class MigrationIsInvisibleToTheClientOnDovecot23(MigrationDovecot23 dovecot) : MigrationIsInvisibleToTheClient(dovecot), IClassFixture<MigrationDovecot23>;

/// <summary>On Debian 13's Dovecot 2.4, in the cached Debian 13 tree.</summary>
public sealed class MigrationIsInvisibleToTheClientOnDovecot24(MigrationDovecot24 dovecot) : MigrationIsInvisibleToTheClient(dovecot), IClassFixture<MigrationDovecot24>;

/// <summary>On Debian forky's Dovecot 2.4.5, in the cached forky tree.</summary>
public sealed class MigrationIsInvisibleToTheClientOnDovecot245(MigrationDovecot245 dovecot) : MigrationIsInvisibleToTheClient(dovecot), IClassFixture<MigrationDovecot245>;
