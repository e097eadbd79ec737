using DovecotRootHelper.EndToEnd.Tests.Infrastructure;

namespace DovecotRootHelper.EndToEnd.Tests;

/// <summary>
/// Dovecot 2.3 with the hook as its checkpassword userdb: mail for a user whose account database
/// does not answer (an LDAP or sssd outage) is deferred (LMTP 4xx, the MTA retries), never bounced
/// (5xx) as if the user did not exist.
/// </summary>
public sealed class DirectoryOutageDefersMail(CheckpasswordOutageDovecot dovecot) : IClassFixture<CheckpasswordOutageDovecot>
{
    [Fact]
    public void AnLmtpDeliveryDuringAnOutageIsDeferredNotBounced()
    {
        long log = dovecot.LogLength();

        LmtpReply reply = LmtpDelivery.Deliver(dovecot.LmtpSocket, CheckpasswordOutageDovecot.Unreachable, "during the outage");

        Assert.True(reply.Code is >= 400 and < 500, $"LMTP answered {reply.Code} {reply.Text}");
        string said = dovecot.WaitForLog(log, "Input/output error (EIO)");
        Assert.Contains($"userdb lookup for {CheckpasswordOutageDovecot.Unreachable} failed temporarily", said, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(dovecot.DovecotDirectory, "home", CheckpasswordOutageDovecot.Unreachable, "IMAP")));
    }

    [Fact]
    public void MailForANameWithoutAnAccountIsStillRefusedForGood()
    {
        // The other side of the line: the account database's own "no such account" stays final.
        LmtpReply reply = LmtpDelivery.Deliver(dovecot.LmtpSocket, CheckpasswordOutageDovecot.Unknown, "to nobody");

        Assert.True(reply.Code is >= 500 and < 600, $"LMTP answered {reply.Code} {reply.Text}");
    }
}
