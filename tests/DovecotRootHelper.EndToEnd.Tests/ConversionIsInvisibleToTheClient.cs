using DovecotRootHelper.EndToEnd.Tests.Infrastructure;
using MailKit.Net.Pop3;

namespace DovecotRootHelper.EndToEnd.Tests;

/// <summary>
/// imaproot convert, rollback and finalize against a real Dovecot with the all-services setup: an
/// IMAP client sees the same mailboxes, UIDVALIDITY, UIDNEXT, UIDs, flags, keywords and
/// subscriptions before and after, a POP3 client the same UIDLs; Sieve files new mail into the
/// converted mailboxes; a rollback brings back what was delivered meanwhile; finalize removes the
/// old mail and only it.
/// </summary>
public abstract class ConversionIsInvisibleToTheClient(ConversionDovecot dovecot)
{
    [Fact]
    public void ConvertToMaildirThenRollBackKeepsEveryRecordAndTheMailDeliveredMeanwhile()
    {
        TestUser alice = dovecot.Alice;
        MailboxUse.SelectFlagAndSubscribe(dovecot, alice, ["INBOX", .. ConversionDovecot.Mailboxes.Keys], ConversionDovecot.Subscribed);
        ImapRecords before = Records(alice);
        string[] uidls = Uidls(alice);
        string[] contents = Contents(alice);

        string plan = dovecot.Imaproot("convert", alice.Name, "--to", "maildir", "--dry-run").Succeeded().Stdout;
        Assert.Contains($"{alice.Name}: migrated -> maildir", plan, StringComparison.Ordinal);
        Assert.Contains("mailbox Archive: 3 message(s)", plan, StringComparison.Ordinal);
        Assert.Contains("10 message(s) in ", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("conflict", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("not checked", plan, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(alice.Home, "Maildir")), "a dry run copies nothing");

        string converted = dovecot.Imaproot("convert", alice.Name, "--to", "maildir", "--yes").Succeeded().Stdout;

        Assert.Contains($"{alice.Name}: maildir: converted to maildir", converted, StringComparison.Ordinal);
        Assert.Contains($"{alice.Name}\tmaildir", File.ReadAllText(dovecot.StatePath), StringComparison.Ordinal);
        Assert.True(Directory.Exists(Path.Combine(alice.Home, "Maildir", "Archive", "cur")), "the Archive is a Maildir now");
        Assert.True(File.Exists(Path.Combine(alice.Home, "IMAP", "Archive")), "the old mbox is kept until finalize");
        string status = dovecot.Imaproot("status", alice.Name).Succeeded().Stdout;
        Assert.Contains($"{alice.Name}: maildir (listed in", status, StringComparison.Ordinal);
        Assert.Contains("conversion: from migrated to maildir", status, StringComparison.Ordinal);
        Assert.Contains($"imaproot finalize {alice.Name}", status, StringComparison.Ordinal);
        ImaprootRun toggled = dovecot.Imaproot("set", alice.Name, "migrated");
        Assert.Equal(5, toggled.ExitCode);
        Assert.Contains("a conversion to maildir is recorded", toggled.Stderr, StringComparison.Ordinal);
        AssertSame(before, Records(alice));
        Assert.Equal(uidls, Uidls(alice));
        Assert.Equal(contents, Contents(alice));

        // Delivered after the conversion: Sieve files it into the Maildir's Lists.
        Assert.Equal(250, LmtpDelivery.Deliver(dovecot.LmtpSocket, alice.Name, "[list] after the conversion").Code);
        Assert.Contains("[list] after the conversion", string.Join(' ', Subjects(alice, "Lists")), StringComparison.Ordinal);
        ImapRecords withNewMail = Records(alice);

        dovecot.Imaproot("rollback", alice.Name, "--yes").Succeeded();

        Assert.Contains($"{alice.Name}\tmigrated", File.ReadAllText(dovecot.StatePath), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(alice.Home, "Maildir")), "the copy is put aside");
        AssertSame(withNewMail, Records(alice));
        Assert.Contains("[list] after the conversion", string.Join(' ', Subjects(alice, "Lists")), StringComparison.Ordinal);
    }

    [Fact]
    public void ConvertToMdboxThenFinalizeRemovesOnlyTheOldMail()
    {
        TestUser bob = dovecot.Bob;
        MailboxUse.SelectFlagAndSubscribe(dovecot, bob, ["INBOX", .. ConversionDovecot.Mailboxes.Keys], ConversionDovecot.Subscribed);
        ImapRecords before = Records(bob);

        dovecot.Imaproot("convert", bob.Name, "--to", "mdbox", "--yes").Succeeded();
        AssertSame(before, Records(bob));

        dovecot.Imaproot("finalize", bob.Name, "--yes").Succeeded();

        Assert.False(Directory.Exists(Path.Combine(bob.Home, "IMAP")), "the old root is gone");
        Assert.False(File.Exists(dovecot.Spool(bob)), "the old INBOX is gone");
        Assert.True(File.Exists(Path.Combine(bob.Home, ".bashrc")), "what is not mail stays");
        AssertSame(before, Records(bob));
        ImaprootRun again = dovecot.Imaproot("rollback", bob.Name, "--yes");
        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("cannot be undone under a conversion", again.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("conversion:", dovecot.Imaproot("status", bob.Name).Succeeded().Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void MessagesDovecotCannotTellApartAreRefusedWithNothingTouched()
    {
        TestUser dave = dovecot.Dave;
        // Read by a client first, as mail is: Dovecot's index then holds the GUIDs dsync goes by.
        MailboxUse.SelectFlagAndSubscribe(dovecot, dave, ["INBOX", "Notes", .. ConversionDovecot.Mailboxes.Keys], []);
        string state = File.ReadAllText(dovecot.StatePath);

        ImaprootRun refused = dovecot.Imaproot("convert", dave.Name, "--to", "maildir", "--yes");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("share a GUID with a different message", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("nothing was touched", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal(state, File.ReadAllText(dovecot.StatePath));
        Assert.False(Directory.Exists(Path.Combine(dave.Home, "Maildir")));
    }

    [Fact]
    public void SeveralUsersAreConvertedOneAfterTheOtherAndOneUsersRefusalStopsNoOther()
    {
        TestUser carol = dovecot.Carol;
        TestUser dave = dovecot.Dave;
        MailboxUse.SelectFlagAndSubscribe(dovecot, dave, ["INBOX", "Notes"], []);
        ImapRecords before = Records(carol);

        ImaprootRun batch = dovecot.Imaproot("--json", "convert", dave.Name, carol.Name, "--to", "mdbox", "--yes");

        Assert.Equal(1, batch.ExitCode);
        Assert.Contains($"imaproot: {dave.Name}: ", batch.Stderr, StringComparison.Ordinal);
        using var report = System.Text.Json.JsonDocument.Parse(batch.Stdout);
        Assert.Equal(1, report.RootElement.GetProperty("succeeded").GetInt32());
        Assert.Equal(1, report.RootElement.GetProperty("failed").GetInt32());
        Assert.Equal(10, report.RootElement.GetProperty("messages").GetInt64());
        System.Text.Json.JsonElement converted = report.RootElement.GetProperty("results")[1];
        Assert.Equal(carol.Name, converted.GetProperty("user").GetString());
        Assert.Equal("mdbox", converted.GetProperty("state").GetString());
        Assert.InRange(converted.GetProperty("refusedSeconds").GetDouble(), 0.0, 60.0);
        Assert.True(converted.GetProperty("preSyncSeconds").GetDouble() > 0);
        Assert.Contains($"{carol.Name}\tmdbox", File.ReadAllText(dovecot.StatePath), StringComparison.Ordinal);
        Assert.Contains($"{dave.Name} migrated", File.ReadAllText(dovecot.StatePath), StringComparison.Ordinal);
        AssertSame(before, Records(carol));
    }

    [Fact]
    public void AScheduledConversionIsRunByRunDueAndTakenOffTheSchedule()
    {
        TestUser eve = dovecot.Eve;
        ImapRecords before = Records(eve);
        string at = DateTime.UtcNow.AddMinutes(-1).ToString("yyyy-MM-dd'T'HH:mm'Z'", System.Globalization.CultureInfo.InvariantCulture);

        Assert.Contains($"{eve.Name}: conversion to maildir scheduled", dovecot.Imaproot("schedule", eve.Name, "--at", at, "--to", "maildir").Succeeded().Stdout, StringComparison.Ordinal);
        Assert.Contains($"{eve.Name}\t", dovecot.Imaproot("schedule", "--list").Succeeded().Stdout, StringComparison.Ordinal);
        Assert.Contains("\tto maildir\tdue", dovecot.Imaproot("schedule", "--list").Succeeded().Stdout, StringComparison.Ordinal);

        string ran = dovecot.Imaproot("run-due", "--yes").Succeeded().Stdout;

        Assert.Contains($"{eve.Name}: maildir: converted to maildir", ran, StringComparison.Ordinal);
        Assert.Contains($"{eve.Name}\tmaildir", File.ReadAllText(dovecot.StatePath), StringComparison.Ordinal);
        Assert.DoesNotContain(eve.Name, dovecot.Imaproot("schedule", "--list").Succeeded().Stdout, StringComparison.Ordinal);
        AssertSame(before, Records(eve));
    }

    private ImapRecords Records(TestUser user) =>
        ImapRecords.Take(dovecot, user, ConversionDovecot.Mailboxes.Keys, new HashSet<string>());

    private static void AssertSame(ImapRecords expected, ImapRecords actual)
    {
        Assert.Equal(expected.List, actual.List);
        Assert.Equal(expected.Lsub, actual.Lsub);
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.Messages, actual.Messages);
    }

    private string[] Uidls(TestUser user)
    {
        using var transcript = new MemoryStream();
        using Pop3Client client = MailClients.Pop3(dovecot, transcript);
        client.Authenticate(user.Name, TestUser.Password);
        string[] uids = [.. client.GetMessageUids()];
        client.Disconnect(quit: true);
        return uids;
    }

    // Every message's UID with its subject and body text: each message of the sandbox is unique, so a
    // copy that put one message's content under another's UID shows here.
    private string[] Contents(TestUser user)
    {
        using var transcript = new MemoryStream();
        using MailKit.Net.Imap.ImapClient client = MailClients.Imap(dovecot, transcript);
        client.Authenticate(user.Name, TestUser.Password);
        var contents = new List<string>();
        foreach (string name in new[] { "INBOX" }.Concat(ConversionDovecot.Mailboxes.Keys.Select(ImapRecords.Decode)))
        {
            MailKit.IMailFolder folder = client.GetFolder(name);
            folder.Open(MailKit.FolderAccess.ReadOnly);
            foreach (MailKit.IMessageSummary summary in folder.Fetch(0, -1, new MailKit.FetchRequest(MailKit.MessageSummaryItems.UniqueId)))
            {
                MimeKit.MimeMessage message = folder.GetMessage(summary.UniqueId);
                contents.Add($"{name} {summary.UniqueId.Id} {message.Subject} {message.TextBody}");
            }
        }
        client.Disconnect(quit: true);
        return [.. contents];
    }

    private string[] Subjects(TestUser user, string mailbox)
    {
        using var transcript = new MemoryStream();
        using MailKit.Net.Imap.ImapClient client = MailClients.Imap(dovecot, transcript);
        client.Authenticate(user.Name, TestUser.Password);
        MailKit.IMailFolder folder = client.GetFolder(mailbox);
        folder.Open(MailKit.FolderAccess.ReadOnly);
        string[] subjects = [.. folder.Fetch(0, -1, new MailKit.FetchRequest(MailKit.MessageSummaryItems.Envelope)).Select(m => m.Envelope?.Subject ?? "")];
        client.Disconnect(quit: true);
        return subjects;
    }
}

/// <summary>On Debian 12's Dovecot 2.3.</summary>
public sealed class ConversionIsInvisibleToTheClientOnDovecot23(ConversionDovecot23 dovecot) : ConversionIsInvisibleToTheClient(dovecot), IClassFixture<ConversionDovecot23>;

/// <summary>On Debian 13's Dovecot 2.4.1, in the cached Debian 13 tree.</summary>
public sealed class ConversionIsInvisibleToTheClientOnDovecot24(ConversionDovecot24 dovecot) : ConversionIsInvisibleToTheClient(dovecot), IClassFixture<ConversionDovecot24>;

/// <summary>On Debian forky's Dovecot 2.4.5, in the cached forky tree.</summary>
public sealed class ConversionIsInvisibleToTheClientOnDovecot245(ConversionDovecot245 dovecot) : ConversionIsInvisibleToTheClient(dovecot), IClassFixture<ConversionDovecot245>;
