using DovecotRootHelper.EndToEnd.Tests.Infrastructure;

namespace DovecotRootHelper.EndToEnd.Tests;

/// <summary>A legacy user's IMAP root is the whole home directory, as before the hook.</summary>
public abstract class LegacyUserSeesHomeDirectory(PrivateDovecot dovecot)
{
    [Fact]
    public void LegacyUsersListComesFromTheHomeDirectory()
    {
        string[] names = MailClients.ListMailboxes(dovecot, dovecot.Alice);

        // The clutter shows too, dotfiles included: that is the problem the migration solves.
        Assert.Equal(
            [".bashrc", "Documents", "Documents/report.pdf", "INBOX", "Sent", "mail", "mail/Archive", "mail/Lists", "mail/Lists/debian"],
            names);
    }

    [Fact]
    public void LegacyUsersMailboxIsTheFileInTheHomeDirectory()
    {
        Assert.Equal("mail/Archive in alice's home", MailClients.FirstSubject(dovecot, dovecot.Alice, "mail/Archive"));
    }

    [Fact]
    public void UserMissingFromTheStateFileGetsTheDefaultLegacyRoot()
    {
        Assert.Equal(["INBOX", "mail", "mail/Archive"], MailClients.ListMailboxes(dovecot, dovecot.Dave));
        Assert.Equal("dave's archive", MailClients.FirstSubject(dovecot, dovecot.Dave, "mail/Archive"));
    }
}

/// <summary>On Debian 12's Dovecot 2.3.</summary>
public sealed class LegacyUserSeesHomeDirectoryOnDovecot23(PrivateDovecot23 dovecot) : LegacyUserSeesHomeDirectory(dovecot), IClassFixture<PrivateDovecot23>;

/// <summary>On Debian 13's Dovecot 2.4, in the cached Debian 13 tree.</summary>
public sealed class LegacyUserSeesHomeDirectoryOnDovecot24(PrivateDovecot24 dovecot) : LegacyUserSeesHomeDirectory(dovecot), IClassFixture<PrivateDovecot24>;

/// <summary>On Debian forky's Dovecot 2.4.5, in the cached forky tree.</summary>
public sealed class LegacyUserSeesHomeDirectoryOnDovecot245(PrivateDovecot245 dovecot) : LegacyUserSeesHomeDirectory(dovecot), IClassFixture<PrivateDovecot245>;
