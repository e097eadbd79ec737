using DovecotRootHelper.EndToEnd.Tests.Infrastructure;

namespace DovecotRootHelper.EndToEnd.Tests;

/// <summary>
/// The hook as a link in Dovecot 2.3's passdb checkpassword chain after the password checker, with
/// the prefetch userdb (packaging/dovecot/dovecot-2.3-checkpassword-passdb.conf).
/// </summary>
public sealed class HookInCheckpasswordPassdbChain(CheckpasswordChainDovecot dovecot)
    : CheckpasswordDecidesTheRoot(dovecot), IClassFixture<CheckpasswordChainDovecot>
{
    [Fact]
    public void UserWithoutUnixAccountCannotLogIn()
    {
        (Exception error, string transcript) = MailClients.RefusedLogin(Dovecot, CheckpasswordDovecot.Unknown, TestUser.Password);

        Assert.IsType<MailKit.Security.AuthenticationException>(error);
        Assert.Contains("[AUTHENTICATIONFAILED]", transcript, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongPasswordIsAFailedAuthenticationNotATemporaryOne()
    {
        (Exception error, string transcript) = MailClients.RefusedLogin(Dovecot, Dovecot.Legacy.Name, "not-the-password");

        Assert.IsType<MailKit.Security.AuthenticationException>(error);
        Assert.Contains("[AUTHENTICATIONFAILED]", transcript, StringComparison.Ordinal);
        Assert.DoesNotContain("[UNAVAILABLE]", transcript, StringComparison.Ordinal);
    }
}
