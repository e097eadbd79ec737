using DovecotRootHelper.EndToEnd.Tests.Infrastructure;

namespace DovecotRootHelper.EndToEnd.Tests;

/// <summary>
/// With <c>[state] migrated-from-uid = N</c> a user the state file does not list gets $HOME/IMAP
/// when its uid is N or above (new accounts start migrated) and the default below; a listed user
/// keeps its state whatever its uid.
/// </summary>
public abstract class UnlistedUsersFollowTheUidRule(PrivateDovecot dovecot) : IDisposable
{
    [Fact]
    public void UnlistedUserAtTheUidGetsTheImapSubdirectory()
    {
        dovecot.WriteHelperConfig(migratedFromUid: dovecot.Frank.Uid);

        Assert.Equal(["INBOX", "mail", "mail/Archive"], MailClients.ListMailboxes(dovecot, dovecot.Frank));
        Assert.Equal("frank's archive in IMAP", MailClients.FirstSubject(dovecot, dovecot.Frank, "mail/Archive"));
    }

    [Fact]
    public void UnlistedUserBelowTheUidGetsTheDefault()
    {
        dovecot.WriteHelperConfig(migratedFromUid: dovecot.Frank.Uid + 1);

        // The $HOME root: IMAP shows as a folder like any other directory there.
        Assert.Contains("IMAP/mail/Archive", MailClients.ListMailboxes(dovecot, dovecot.Frank));
        Assert.Equal("frank's archive in his home", MailClients.FirstSubject(dovecot, dovecot.Frank, "mail/Archive"));
        Assert.Equal("dave's archive", MailClients.FirstSubject(dovecot, dovecot.Dave, "mail/Archive"));
    }

    [Fact]
    public void WithoutTheRuleAnUnlistedUserGetsTheDefault()
    {
        Assert.Equal("frank's archive in his home", MailClients.FirstSubject(dovecot, dovecot.Frank, "mail/Archive"));
    }

    [Fact]
    public void ListedUsersKeepTheirStateAboveTheUid()
    {
        // Every listed user's uid is at or above Alice's.
        dovecot.WriteHelperConfig(migratedFromUid: dovecot.Alice.Uid);

        Assert.Equal("mail/Archive in alice's home", MailClients.FirstSubject(dovecot, dovecot.Alice, "mail/Archive"));
        Assert.Contains("Documents", MailClients.ListMailboxes(dovecot, dovecot.Alice));
        Assert.Equal("mail/Lists/debian in erin's home", MailClients.FirstSubject(dovecot, dovecot.Erin, "mail/Lists/debian"));
        Assert.Contains("* BYE [UNAVAILABLE] ", MailClients.RefusedLogin(dovecot, dovecot.Carol.Name, TestUser.Password).Transcript, StringComparison.Ordinal);
        Assert.Equal("frank's archive in IMAP", MailClients.FirstSubject(dovecot, dovecot.Frank, "mail/Archive"));
    }

    public void Dispose()
    {
        dovecot.WriteHelperConfig();
        GC.SuppressFinalize(this);
    }
}

/// <summary>On Debian 12's Dovecot 2.3.</summary>
public sealed class UnlistedUsersFollowTheUidRuleOnDovecot23(PrivateDovecot23 dovecot) : UnlistedUsersFollowTheUidRule(dovecot), IClassFixture<PrivateDovecot23>;

/// <summary>On Debian 13's Dovecot 2.4, in the cached Debian 13 tree.</summary>
public sealed class UnlistedUsersFollowTheUidRuleOnDovecot24(PrivateDovecot24 dovecot) : UnlistedUsersFollowTheUidRule(dovecot), IClassFixture<PrivateDovecot24>;

/// <summary>On Debian forky's Dovecot 2.4.5, in the cached forky tree.</summary>
public sealed class UnlistedUsersFollowTheUidRuleOnDovecot245(PrivateDovecot245 dovecot) : UnlistedUsersFollowTheUidRule(dovecot), IClassFixture<PrivateDovecot245>;
