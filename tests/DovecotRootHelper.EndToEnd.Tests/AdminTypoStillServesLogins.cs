using DovecotRootHelper.EndToEnd.Tests.Infrastructure;

namespace DovecotRootHelper.EndToEnd.Tests;

/// <summary>
/// Issue 19, item 3: a bad value in a section only imaproot reads (<c>[usage]</c>, <c>[notices]</c>,
/// <c>[migration]</c>) made the post-login hook refuse every login on the server. Now logins go on,
/// each user with the root the state file gives, and the hook says nothing.
/// </summary>
public abstract class AdminTypoStillServesLogins(PrivateDovecot dovecot) : IDisposable
{
    [Fact]
    public void LoginsAreServedWithTheirRootsDespiteTyposInImaprootsSections()
    {
        File.AppendAllText(dovecot.ConfigPath, """
            [usage]
            window-days = 0
            namespace-prefix = INBOX
            [notices]
            before = notices/before.txt
            [migration]
            kick-timeout = -5

            """);
        long log = dovecot.LogLength();

        Assert.Equal(["INBOX", "Sent", "mail", "mail/Archive", "mail/Lists", "mail/Lists/debian"], MailClients.ListMailboxes(dovecot, dovecot.Bob));
        Assert.Equal("mail/Archive in bob's IMAP", MailClients.FirstSubject(dovecot, dovecot.Bob, "mail/Archive"));
        Assert.Equal("mail/Archive in alice's home", MailClients.FirstSubject(dovecot, dovecot.Alice, "mail/Archive"));
        Assert.DoesNotContain("dovecot-root-helper", dovecot.LogSince(log), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        dovecot.WriteHelperConfig();
        GC.SuppressFinalize(this);
    }
}

/// <summary>On Debian 12's Dovecot 2.3.</summary>
public sealed class AdminTypoStillServesLoginsOnDovecot23(PrivateDovecot23 dovecot) : AdminTypoStillServesLogins(dovecot), IClassFixture<PrivateDovecot23>;

/// <summary>On Debian 13's Dovecot 2.4, in the cached Debian 13 tree.</summary>
public sealed class AdminTypoStillServesLoginsOnDovecot24(PrivateDovecot24 dovecot) : AdminTypoStillServesLogins(dovecot), IClassFixture<PrivateDovecot24>;

/// <summary>On Debian forky's Dovecot 2.4.5.</summary>
public sealed class AdminTypoStillServesLoginsOnDovecot245(PrivateDovecot245 dovecot) : AdminTypoStillServesLogins(dovecot), IClassFixture<PrivateDovecot245>;
