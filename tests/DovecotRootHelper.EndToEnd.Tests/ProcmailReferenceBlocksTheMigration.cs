using DovecotRootHelper.EndToEnd.Tests.Infrastructure;
using MailKit;
using MailKit.Net.Imap;

namespace DovecotRootHelper.EndToEnd.Tests;

/// <summary>
/// Issue 12 item 5, live: a user's .procmailrc that delivers to a mailbox being moved is reported
/// by plan and blocks migrate, nothing moved, until the filter is edited; with
/// --filter-references=symlink the real procmail keeps delivering to the moved mailbox, which the
/// client sees, and a rollback takes the link away again.
/// </summary>
public abstract class ProcmailReferenceBlocksTheMigration(MigrationDovecot dovecot)
{
    [Fact]
    public void TheReferenceIsReportedAndBlocksUntilTheFilterIsEdited()
    {
        TestUser alice = dovecot.Alice;
        MailboxUse.SelectFlagAndSubscribe(dovecot, alice, MigrationDovecot.Mailboxes.Keys, MigrationDovecot.Subscribed);
        MailTree.AddFile(alice, alice.Home, ".procmailrc", "MAILDIR=$HOME/mail\n:0:\n* ^Subject: archive\nArchive\n");

        ImaprootRun plan = dovecot.Imaproot("plan", alice.Name);
        Assert.Equal(1, plan.ExitCode);
        Assert.Contains("  .procmailrc:4: Archive -> mail/Archive moves to IMAP/mail/Archive: unresolved\n", plan.Stdout, StringComparison.Ordinal);

        ImaprootRun refused = dovecot.Imaproot("migrate", alice.Name, "--yes");
        Assert.Equal(1, refused.ExitCode);
        string line = Assert.Single(refused.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"imaproot: {alice.Name}: .procmailrc:4: Archive names mail/Archive, which moves to IMAP/mail/Archive", line, StringComparison.Ordinal);
        Assert.Contains($"{alice.Name}: legacy", dovecot.Imaproot("status", alice.Name).Succeeded().Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(alice.Home, "mail", "Archive")));
        Assert.False(Path.Exists(Path.Combine(alice.Home, "IMAP")));

        // The administrator points the filter at the new place; then nothing stands in the way.
        MailTree.AddFile(alice, alice.Home, ".procmailrc", "MAILDIR=$HOME/IMAP/mail\n:0:\n* ^Subject: archive\nArchive\n");
        dovecot.Imaproot("migrate", alice.Name, "--yes").Succeeded();
        int before = Count(alice, "mail/Archive");
        Procmail(alice, "archive");
        Assert.Equal(before + 1, Count(alice, "mail/Archive"));
    }

    [Fact]
    public void WithSymlinksProcmailKeepsDeliveringToTheMovedMailbox()
    {
        TestUser bob = dovecot.Bob;
        MailboxUse.SelectFlagAndSubscribe(dovecot, bob, MigrationDovecot.Mailboxes.Keys, MigrationDovecot.Subscribed);
        MailTree.AddFile(bob, bob.Home, ".procmailrc", ":0:\n* ^Subject: archive\n$HOME/mail/Archive\n");
        int before = Count(bob, "mail/Archive");

        dovecot.Imaproot("migrate", bob.Name, "--yes", "--filter-references=symlink").Succeeded();

        string link = Path.Combine(bob.Home, "mail", "Archive");
        Assert.Equal("../IMAP/mail/Archive", new FileInfo(link).LinkTarget);
        Procmail(bob, "archive");
        Assert.Equal(before + 1, Count(bob, "mail/Archive"));

        dovecot.Imaproot("rollback", bob.Name).Succeeded();

        Assert.Null(new FileInfo(link).LinkTarget);
        Assert.Equal(before + 1, Count(bob, "mail/Archive"));
    }

    /// <summary>Delivers one message (with its "From " line) the way the MTA would: procmail run as the user, reading the user's .procmailrc.</summary>
    private static void Procmail(TestUser user, string subject)
    {
        string message = Path.Combine(Path.GetTempPath(), $"drh-procmail-{user.Name}");
        File.WriteAllText(message, MailTree.Message(subject));
        try
        {
            Command.Run("/bin/sh", ["-c", $"runuser -u {user.Name} -- /usr/bin/procmail < {message}"]);
        }
        finally
        {
            File.Delete(message);
        }
    }

    private int Count(TestUser user, string mailbox)
    {
        using var transcript = new MemoryStream();
        using ImapClient client = MailClients.Imap(dovecot, transcript);
        client.Authenticate(user.Name, TestUser.Password);
        IMailFolder folder = client.GetFolder(mailbox);
        folder.Status(StatusItems.Count);
        int count = folder.Count;
        client.Disconnect(quit: true);
        return count;
    }
}

/// <summary>On Debian 12's Dovecot 2.3.</summary>
public sealed class ProcmailReferenceBlocksTheMigrationOnDovecot23(ProcmailDovecot23 dovecot) : ProcmailReferenceBlocksTheMigration(dovecot), IClassFixture<ProcmailDovecot23>;

/// <summary>On Debian 13's Dovecot 2.4, in the cached Debian 13 tree.</summary>
public sealed class ProcmailReferenceBlocksTheMigrationOnDovecot24(ProcmailDovecot24 dovecot) : ProcmailReferenceBlocksTheMigration(dovecot), IClassFixture<ProcmailDovecot24>;

/// <summary>On Debian forky's Dovecot 2.4.5, in the cached forky tree.</summary>
public sealed class ProcmailReferenceBlocksTheMigrationOnDovecot245(ProcmailDovecot245 dovecot) : ProcmailReferenceBlocksTheMigration(dovecot), IClassFixture<ProcmailDovecot245>;
