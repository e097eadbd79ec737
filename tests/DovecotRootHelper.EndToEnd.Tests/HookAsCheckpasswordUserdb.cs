using DovecotRootHelper.EndToEnd.Tests.Infrastructure;

namespace DovecotRootHelper.EndToEnd.Tests;

/// <summary>The hook as Dovecot 2.3's checkpassword userdb (packaging/dovecot/dovecot-2.3-checkpassword-userdb.conf).</summary>
public sealed class HookAsCheckpasswordUserdb(CheckpasswordUserdbDovecot dovecot)
    : CheckpasswordDecidesTheRoot(dovecot), IClassFixture<CheckpasswordUserdbDovecot>
{
    protected override bool RefusalMayBeADisconnect => true;

    [Fact]
    public void UserWithAPasswordButNoUnixAccountCannotLogIn()
    {
        long log = Dovecot.LogLength();

        MailClients.RefusedLogin(Dovecot, CheckpasswordDovecot.Unknown, TestUser.Password);

        // The hook's exit 3 reads as "no such user", not as a failure of the hook. Dovecot 2.3 still
        // answers the client "NO [UNAVAILABLE] Internal error" when the passdb knew the user and
        // the userdb did not, so the client's words cannot tell the two apart; the log can.
        string said = Dovecot.WaitForLog(log, "user not found from userdb");
        Assert.Contains($"checkpassword({CheckpasswordDovecot.Unknown},", said, StringComparison.Ordinal);
        Assert.DoesNotContain("dovecot-root-helper", said, StringComparison.Ordinal);
    }
}
