using DovecotRootHelper.EndToEnd.Tests.Infrastructure;

namespace DovecotRootHelper.EndToEnd.Tests;

/// <summary>A migrated user's IMAP root is $HOME/IMAP, and the client sees the same mailbox names as before.</summary>
public abstract class MigratedUserSeesImapSubdirectory(PrivateDovecot dovecot) : IDisposable
{
    private static readonly string[] MailboxNames = ["INBOX", "Sent", "mail", "mail/Archive", "mail/Lists", "mail/Lists/debian"];

    [Fact]
    public void MigratedUsersListComesFromTheImapSubdirectory()
    {
        // Neither the clutter nor the stale mbox left in $HOME shows, nor IMAP itself.
        Assert.Equal(MailboxNames, MailClients.ListMailboxes(dovecot, dovecot.Bob));
    }

    [Fact]
    public void MigratedUsersMailboxIsTheFileUnderImap()
    {
        Assert.Equal("mail/Archive in bob's IMAP", MailClients.FirstSubject(dovecot, dovecot.Bob, "mail/Archive"));
    }

    [Fact]
    public void MigratedUserKeepsTheMailboxNamesItHadBeforeTheMove()
    {
        TestUser erin = dovecot.Erin;
        string imap = Path.Combine(erin.Home, "IMAP");
        string[] before = MailClients.ListMailboxes(dovecot, erin);
        try
        {
            MailTree.Move(erin, Path.Combine(erin.Home, "mail"), Path.Combine(imap, "mail"));
            MailTree.Move(erin, Path.Combine(erin.Home, "Sent"), Path.Combine(imap, "Sent"));
            dovecot.WriteState(PrivateDovecot.InitialState.Replace("erin legacy", "erin migrated", StringComparison.Ordinal));

            string[] after = MailClients.ListMailboxes(dovecot, erin);

            Assert.Equal(MailboxNames, before);
            Assert.Equal(before, after);
            Assert.Equal("mail/Lists/debian in erin's home", MailClients.FirstSubject(dovecot, erin, "mail/Lists/debian"));
        }
        finally
        {
            dovecot.RestoreState();
            if (Directory.Exists(Path.Combine(imap, "mail")))
                MailTree.Move(erin, Path.Combine(imap, "mail"), Path.Combine(erin.Home, "mail"));
            if (File.Exists(Path.Combine(imap, "Sent")))
                MailTree.Move(erin, Path.Combine(imap, "Sent"), Path.Combine(erin.Home, "Sent"));
            if (Directory.Exists(imap))
                Directory.Delete(imap, recursive: true);
        }
    }

    public void Dispose()
    {
        dovecot.RestoreState();
        GC.SuppressFinalize(this);
    }
}

/// <summary>On Debian 12's Dovecot 2.3.</summary>
public sealed class MigratedUserSeesImapSubdirectoryOnDovecot23(PrivateDovecot23 dovecot) : MigratedUserSeesImapSubdirectory(dovecot), IClassFixture<PrivateDovecot23>;

/// <summary>On Debian 13's Dovecot 2.4, in the cached Debian 13 tree.</summary>
public sealed class MigratedUserSeesImapSubdirectoryOnDovecot24(PrivateDovecot24 dovecot) : MigratedUserSeesImapSubdirectory(dovecot), IClassFixture<PrivateDovecot24>;

/// <summary>On Debian forky's Dovecot 2.4.5, in the cached forky tree.</summary>
public sealed class MigratedUserSeesImapSubdirectoryOnDovecot245(PrivateDovecot245 dovecot) : MigratedUserSeesImapSubdirectory(dovecot), IClassFixture<PrivateDovecot245>;
