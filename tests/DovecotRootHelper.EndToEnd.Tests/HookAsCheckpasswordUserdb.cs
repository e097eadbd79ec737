using DovecotRootHelper.EndToEnd.Tests.Infrastructure;

namespace DovecotRootHelper.EndToEnd.Tests;

/// <summary>The hook as Dovecot 2.3's checkpassword userdb (packaging/dovecot/dovecot-2.3-checkpassword-userdb.conf).</summary>
public sealed class HookAsCheckpasswordUserdb(CheckpasswordUserdbDovecot dovecot)
    : CheckpasswordDecidesTheRoot(dovecot), IClassFixture<CheckpasswordUserdbDovecot>
{
    [Fact]
    public void UserWithAPasswordButNoUnixAccountCannotLogIn()
    {
        (Exception error, string transcript) = MailClients.RefusedLogin(Dovecot, CheckpasswordDovecot.Unknown, TestUser.Password);

        Assert.IsType<MailKit.Security.AuthenticationException>(error);
        Assert.DoesNotContain("[UNAVAILABLE]", transcript, StringComparison.Ordinal);
    }
}
