using DovecotRootHelper.EndToEnd.Tests.Infrastructure;

namespace DovecotRootHelper.EndToEnd.Tests;

/// <summary>
/// With <c>auth_cache_size</c> set, Dovecot answers from its cache and does not run the hook: a
/// state change reaches the user only after <c>doveadm auth cache flush USER</c>.
/// </summary>
public abstract class AuthCacheKeepsTheRootUntilFlushed(CheckpasswordDovecot dovecot) : IDisposable
{
    private static readonly string[] HomeRoot = ["Archive 1", "IMAP -", "IMAP/Archive 2", "IMAP/mail -", "IMAP/mail/Lists 2", "INBOX 1", "mail -", "mail/Lists 1"];
    private static readonly string[] ImapRoot = ["Archive 2", "INBOX 1", "mail -", "mail/Lists 2"];

    [Fact]
    public void FlagToggleTakesEffectAfterTheCacheIsFlushed()
    {
        TestUser user = dovecot.Migrated;
        Assert.Equal(ImapRoot, MailClients.MessageCounts(dovecot, user));

        dovecot.WriteState(CheckpasswordDovecot.InitialState.Replace("drhcp-migrated migrated", "drhcp-migrated legacy", StringComparison.Ordinal));
        Assert.Equal(ImapRoot, MailClients.MessageCounts(dovecot, user));

        dovecot.Doveadm("auth", "cache", "flush", user.Name);
        Assert.Equal(HomeRoot, MailClients.MessageCounts(dovecot, user));
    }

    public void Dispose()
    {
        dovecot.RestoreState();
        dovecot.Doveadm("auth", "cache", "flush");
        GC.SuppressFinalize(this);
    }
}
