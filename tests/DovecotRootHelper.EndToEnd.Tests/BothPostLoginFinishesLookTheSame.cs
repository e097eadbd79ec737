using DovecotRootHelper.EndToEnd.Tests.Infrastructure;
using MailKit.Net.Pop3;

namespace DovecotRootHelper.EndToEnd.Tests;

/// <summary>
/// With <c>post-login-finish = auto</c> (the default) the hook hands the login to imap itself
/// instead of exec'ing Dovecot's script-login; with <c>exec</c> script-login does it. Clients must
/// not be able to tell: same roots over IMAP and POP3, same refusals.
/// </summary>
public abstract class BothPostLoginFinishesLookTheSame(PrivateDovecot dovecot) : IDisposable
{
    [Theory]
    [InlineData("auto")]
    [InlineData("exec")]
    public void RootsAndRefusalsAreTheSame(string finish)
    {
        dovecot.WriteHelperConfig(finish);

        Assert.Equal(
            [".bashrc", "Documents", "Documents/report.pdf", "INBOX", "Sent", "mail", "mail/Archive", "mail/Lists", "mail/Lists/debian"],
            MailClients.ListMailboxes(dovecot, dovecot.Alice));
        Assert.Equal(["INBOX", "Sent", "mail", "mail/Archive", "mail/Lists", "mail/Lists/debian"], MailClients.ListMailboxes(dovecot, dovecot.Bob));
        Assert.Equal("mail/Archive in bob's IMAP", MailClients.FirstSubject(dovecot, dovecot.Bob, "mail/Archive"));
        Assert.Contains("* BYE [UNAVAILABLE] ", MailClients.RefusedLogin(dovecot, dovecot.Carol.Name, TestUser.Password).Transcript, StringComparison.Ordinal);
        Assert.Empty(dovecot.Sessions(dovecot.Carol));

        using var transcript = new MemoryStream();
        using Pop3Client pop3 = MailClients.Pop3(dovecot, transcript);
        pop3.Authenticate(dovecot.Bob.Name, TestUser.Password);
        Assert.True(pop3.IsAuthenticated);
    }

    public void Dispose()
    {
        dovecot.WriteHelperConfig();
        GC.SuppressFinalize(this);
    }
}

/// <summary>On Debian 12's Dovecot 2.3.</summary>
public sealed class BothPostLoginFinishesLookTheSameOnDovecot23(PrivateDovecot23 dovecot) : BothPostLoginFinishesLookTheSame(dovecot), IClassFixture<PrivateDovecot23>;

/// <summary>On Debian 13's Dovecot 2.4, in the cached Debian 13 tree.</summary>
public sealed class BothPostLoginFinishesLookTheSameOnDovecot24(PrivateDovecot24 dovecot) : BothPostLoginFinishesLookTheSame(dovecot), IClassFixture<PrivateDovecot24>;

/// <summary>On Debian forky's Dovecot 2.4.5, in the cached forky tree.</summary>
public sealed class BothPostLoginFinishesLookTheSameOnDovecot245(PrivateDovecot245 dovecot) : BothPostLoginFinishesLookTheSame(dovecot), IClassFixture<PrivateDovecot245>;
