using System.Text.RegularExpressions;
using DovecotRootHelper.EndToEnd.Tests.Infrastructure;

namespace DovecotRootHelper.EndToEnd.Tests;

/// <summary>
/// The crash-test imaproot SIGKILLed at every phase of a conversion to Maildir and of its rollback,
/// against a real Dovecot with the all-services setup: the state and the record say where it
/// stopped, nothing of the old mail is deleted, and <c>imaproot resume</c> finishes while
/// <c>imaproot resume --rollback</c> undoes, with an IMAP client seeing the same records and
/// contents as before. Mail delivered over LMTP while the conversion is killed after its copy while
/// online lands in the old location and is carried over; mail delivered while it is killed in its
/// cut-over is deferred (4xx) and lands in the Maildir when retried after resume. A POP3 client's
/// UIDLs survive a conversion and its rollback. A resume that cannot close the sessions leaves the
/// user on record or back at the old state, never refused with no record.
/// </summary>
public abstract class ConversionSurvivesKills(ConversionKillsDovecot dovecot)
{
    private const int KilledBySigkill = 128 + 9;

    public static TheoryData<string> Points =>
    [
        "conversion-after-journal",
        "conversion-after-pre-sync",
        "conversion-after-migrating",
        "conversion-after-final-sync",
        "conversion-after-flip",
        "conversion-rollback-after-migrating",
        "conversion-rollback-after-sync",
    ];

    [Theory]
    [MemberData(nameof(Points))]
    public void KilledAtAPointThenResumeFinishes(string point) => KillThenResume(point, undo: false);

    [Theory]
    [MemberData(nameof(Points))]
    public void KilledAtAPointThenResumeRollbackUndoes(string point) => KillThenResume(point, undo: true);

    [Fact]
    public void MailDeliveredAfterTheCopyWhileOnlineIsCarriedOverByResume()
    {
        TestUser user = dovecot.PreSync;
        string[] contents = FreshAndUsed(user);

        ConvertKilledAt("conversion-after-pre-sync", user);
        Assert.Equal("migrated", dovecot.StateOf(user));
        const string subject = "delivered after the copy while online";
        LmtpReply delivery = LmtpDelivery.Deliver(dovecot.LmtpSocket, user.Name, subject);
        Assert.True(delivery.Code == 250, $"LMTP must deliver to the old location; it answered {delivery.Text}");
        Assert.Contains(subject, File.ReadAllText(dovecot.Spool(user)), StringComparison.Ordinal);

        dovecot.Imaproot("resume", user.Name).Succeeded();

        Assert.Equal("maildir", dovecot.StateOf(user));
        Assert.True(MaildirHolds(user, subject), $"{subject}: not in {Path.Combine(user.Home, "Maildir")}");
        Assert.Contains(subject, MailboxContents.Subjects(dovecot, user, "INBOX"));
        Assert.Equal(contents, Contents(user).Where(c => !c.Contains(subject, StringComparison.Ordinal)));
    }

    [Fact]
    public void MailDeliveredDuringTheCutOverIsDeferredThenLandsInTheMaildir()
    {
        TestUser user = dovecot.CutOver;
        string[] contents = FreshAndUsed(user);

        ConvertKilledAt("conversion-after-migrating", user);
        Assert.Equal("migrating", dovecot.StateOf(user));
        const string subject = "delivered during the cut-over";
        LmtpReply deferred = LmtpDelivery.Deliver(dovecot.LmtpSocket, user.Name, subject);
        Assert.True(deferred.Code / 100 == 4, $"LMTP must defer the delivery (never bounce it); it answered {deferred.Text}");
        Assert.DoesNotContain(subject, File.ReadAllText(dovecot.Spool(user)), StringComparison.Ordinal);
        using (RawLineClient imap = RawLineClient.Connect(dovecot.ImapPort))
        {
            imap.Send($"a LOGIN {user.Name} {TestUser.Password}");
            Assert.StartsWith("a NO [UNAVAILABLE]", imap.ReadLine(), StringComparison.Ordinal);
        }

        dovecot.Imaproot("resume", user.Name).Succeeded();

        Assert.Equal("maildir", dovecot.StateOf(user));
        List<LmtpReply> retried = LmtpDelivery.DeliverWithRetries(dovecot.LmtpSocket, user.Name, subject, TimeSpan.FromSeconds(20));
        Assert.True(retried[^1].Code == 250, $"the retried delivery must be accepted; LMTP answered {string.Join(" | ", retried.Select(r => r.Text))}");
        Assert.True(MaildirHolds(user, subject), $"{subject}: not in {Path.Combine(user.Home, "Maildir")}");
        Assert.False(File.ReadAllText(dovecot.Spool(user)).Contains(subject, StringComparison.Ordinal), "the retried delivery went to the old INBOX");
        Assert.Contains(subject, MailboxContents.Subjects(dovecot, user, "INBOX"));
        Assert.Equal(contents, Contents(user).Where(c => !c.Contains(subject, StringComparison.Ordinal)));
    }

    [Fact]
    public void Pop3UidlsSurviveTheConversionAndTheRollback()
    {
        TestUser user = dovecot.Pop3;
        FreshAndUsed(user);
        string[] uidls = MailboxContents.Uidls(dovecot, user);
        Assert.Equal(2, uidls.Length);

        dovecot.Imaproot("convert", user.Name, "--to", "maildir", "--yes").Succeeded();
        Assert.Equal("maildir", dovecot.StateOf(user));
        Assert.Equal(uidls, MailboxContents.Uidls(dovecot, user));

        dovecot.Imaproot("rollback", user.Name, "--yes").Succeeded();
        Assert.Equal("migrated", dovecot.StateOf(user));
        Assert.Equal(uidls, MailboxContents.Uidls(dovecot, user));
    }

    [Fact]
    public void ResumeThatCannotCloseTheSessionsLeavesTheUserOnRecordOrBack()
    {
        TestUser user = dovecot.Phases;
        string[] contents = FreshAndUsed(user);
        ConvertKilledAt("conversion-after-migrating", user);
        string config = File.ReadAllText(dovecot.ConfigPath);
        ImaprootRun failed;
        try
        {
            // The kick fails, so the resumed cut-over cannot show the sessions closed.
            File.WriteAllText(dovecot.ConfigPath, Regex.Replace(config, "^kick = .*$", "kick = /bin/false", RegexOptions.Multiline));
            failed = dovecot.Imaproot("resume", user.Name);
        }
        finally
        {
            File.WriteAllText(dovecot.ConfigPath, config);
        }

        Assert.NotEqual(0, failed.ExitCode);
        string state = dovecot.StateOf(user);
        string? phase = dovecot.JournalPhase(user);
        Assert.True(phase is not null || state == "migrated",
            $"after a failed resume the user is {state} with no conversion record: logins refused for good, and imaproot resume no longer knows the conversion\nstderr:\n{failed.Stderr}");
        if (phase is not null)
            dovecot.Imaproot("resume", user.Name).Succeeded();
        Assert.Equal(contents, Contents(user));
    }

    // Killed at point (of convert, or of a rollback after a convert), then resumed one way or the other.
    private void KillThenResume(string point, bool undo)
    {
        TestUser user = dovecot.Phases;
        string[] contents = FreshAndUsed(user);
        ImapRecords before = Records(user);
        bool rollingBack = point.StartsWith("conversion-rollback-", StringComparison.Ordinal);
        if (rollingBack)
            dovecot.Imaproot("convert", user.Name, "--to", "maildir", "--yes").Succeeded();

        if (rollingBack)
            AssertKilled(dovecot.ImaprootKilledAt(point, "rollback", user.Name, "--yes"));
        else
            ConvertKilledAt(point, user);

        (string state, string phase) = point switch
        {
            "conversion-after-journal" or "conversion-after-pre-sync" => ("migrated", "pre-sync"),
            "conversion-after-migrating" or "conversion-after-final-sync" => ("migrating", "cut-over"),
            "conversion-after-flip" => ("maildir", "converted"),
            _ => ("migrating", "rolling-back"),
        };
        Assert.Equal((state, phase), (dovecot.StateOf(user), dovecot.JournalPhase(user)));
        AssertOldMailKept(user);
        bool copied = point != "conversion-after-journal";
        Assert.Equal(copied, Directory.Exists(Path.Combine(user.Home, "Maildir", "Archive", "cur")));

        ImaprootRun resumed = undo ? dovecot.Imaproot("resume", "--rollback", user.Name) : dovecot.Imaproot("resume", user.Name);

        resumed.Succeeded();
        AssertOldMailKept(user);
        if (rollingBack != undo)
        {
            Assert.Equal("migrated", dovecot.StateOf(user));
            Assert.Null(dovecot.JournalPhase(user));
            Assert.False(Directory.Exists(Path.Combine(user.Home, "Maildir")), "the copy is put aside");
            Assert.Equal(copied, Directory.GetDirectories(user.Home, "Maildir.imaproot-*").Length > 0);
        }
        else
        {
            Assert.Equal("maildir", dovecot.StateOf(user));
            Assert.Equal("converted", dovecot.JournalPhase(user));
            Assert.True(Directory.Exists(Path.Combine(user.Home, "Maildir", "Archive", "cur")), "the Archive is a Maildir");
        }
        ImapRecords after = Records(user);
        Assert.Equal(before.List, after.List);
        Assert.Equal(before.Lsub, after.Lsub);
        Assert.Equal(before.Status, after.Status);
        Assert.Equal(before.Messages, after.Messages);
        Assert.Equal(contents, Contents(user));
    }

    // The user put back to its first mail, then used by a client (mailboxes selected, flagged, subscribed); returns the contents it read.
    private string[] FreshAndUsed(TestUser user)
    {
        dovecot.Fresh(user);
        MailboxUse.SelectFlagAndSubscribe(dovecot, user, ["INBOX", .. ConversionDovecot.Mailboxes.Keys], ConversionDovecot.Subscribed);
        return Contents(user);
    }

    private void ConvertKilledAt(string point, TestUser user) =>
        AssertKilled(dovecot.ImaprootKilledAt(point, "convert", user.Name, "--to", "maildir", "--yes"));

    private static void AssertKilled(ImaprootRun run) =>
        Assert.True(run.ExitCode == KilledBySigkill, $"expected the crash-test imaproot killed by SIGKILL, got exit {run.ExitCode}\nstdout:\n{run.Stdout}\nstderr:\n{run.Stderr}");

    // Nothing of the old mail is deleted before finalize: every mbox file and the spool INBOX are there.
    private void AssertOldMailKept(TestUser user)
    {
        foreach (string mailbox in ConversionDovecot.Mailboxes.Keys)
            Assert.True(new FileInfo(Path.Combine(user.Home, "IMAP", mailbox)) is { Exists: true, Length: > 0 }, $"{mailbox}: the old mbox is gone or empty");
        Assert.True(new FileInfo(dovecot.Spool(user)) is { Exists: true, Length: > 0 }, $"{dovecot.Spool(user)}: the old INBOX is gone or empty");
    }

    private static bool MaildirHolds(TestUser user, string subject) =>
        Directory.EnumerateFiles(Path.Combine(user.Home, "Maildir"), "*", SearchOption.AllDirectories)
            .Where(file => Path.GetFileName(Path.GetDirectoryName(file)) is "cur" or "new")
            .Any(file => File.ReadAllText(file).Contains($"Subject: {subject}", StringComparison.Ordinal));

    private ImapRecords Records(TestUser user) =>
        ImapRecords.Take(dovecot, user, ConversionDovecot.Mailboxes.Keys, new HashSet<string>());

    private string[] Contents(TestUser user) => MailboxContents.Take(dovecot, user, ConversionDovecot.Mailboxes.Keys);
}

/// <summary>On Debian 12's Dovecot 2.3.</summary>
public sealed class ConversionSurvivesKillsOnDovecot23(ConversionKillsDovecot23 dovecot) : ConversionSurvivesKills(dovecot), IClassFixture<ConversionKillsDovecot23>;

/// <summary>On Debian 13's Dovecot 2.4.1, in the cached Debian 13 tree.</summary>
public sealed class ConversionSurvivesKillsOnDovecot24(ConversionKillsDovecot24 dovecot) : ConversionSurvivesKills(dovecot), IClassFixture<ConversionKillsDovecot24>;

/// <summary>On Debian forky's Dovecot 2.4.5, in the cached forky tree.</summary>
public sealed class ConversionSurvivesKillsOnDovecot245(ConversionKillsDovecot245 dovecot) : ConversionSurvivesKills(dovecot), IClassFixture<ConversionKillsDovecot245>;
