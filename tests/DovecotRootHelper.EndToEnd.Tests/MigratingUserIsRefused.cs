using DovecotRootHelper.EndToEnd.Tests.Infrastructure;
using MailKit.Net.Imap;

namespace DovecotRootHelper.EndToEnd.Tests;

/// <summary>While a user's mail is being moved, IMAP logins are refused with a temporary BYE and no session starts.</summary>
public abstract class MigratingUserIsRefused(PrivateDovecot dovecot)
{
    [Fact]
    public void ImapClientGetsUnavailableByeAndNoSession()
    {
        long log = dovecot.LogLength();
        using var transcript = new MemoryStream();
        using ImapClient client = MailClients.Imap(dovecot, transcript);

        Assert.ThrowsAny<Exception>(() => client.Authenticate(dovecot.Carol.Name, TestUser.Password));

        Assert.False(client.IsAuthenticated);
        Assert.Contains("* BYE [UNAVAILABLE] ", MailClients.Text(transcript), StringComparison.Ordinal);
        dovecot.WaitForLog(log, "Post-login script denied access to user carol");
        Assert.Empty(dovecot.Sessions(dovecot.Carol));
    }

    [Fact]
    public void RawClientGetsExactlyOneByeLineAndNoTaggedReply()
    {
        using var client = RawLineClient.Connect(dovecot.ImapPort);

        client.Send("a LOGIN carol secret");
        List<string> lines = client.ReadToClose();

        string bye = Assert.Single(lines);
        Assert.StartsWith("* BYE [UNAVAILABLE] ", bye, StringComparison.Ordinal);
        Assert.Equal("* BYE [UNAVAILABLE] Your mailbox is being moved; please try again in a few minutes.", bye);
    }
}

/// <summary>On Debian 12's Dovecot 2.3.</summary>
public sealed class MigratingUserIsRefusedOnDovecot23(PrivateDovecot23 dovecot) : MigratingUserIsRefused(dovecot), IClassFixture<PrivateDovecot23>;

/// <summary>On Debian 13's Dovecot 2.4, in the cached Debian 13 tree.</summary>
public sealed class MigratingUserIsRefusedOnDovecot24(PrivateDovecot24 dovecot) : MigratingUserIsRefused(dovecot), IClassFixture<PrivateDovecot24>;

/// <summary>On Debian forky's Dovecot 2.4.5, in the cached forky tree.</summary>
public sealed class MigratingUserIsRefusedOnDovecot245(PrivateDovecot245 dovecot) : MigratingUserIsRefused(dovecot), IClassFixture<PrivateDovecot245>;
