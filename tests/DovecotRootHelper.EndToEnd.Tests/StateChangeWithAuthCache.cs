using DovecotRootHelper.EndToEnd.Tests.Infrastructure;

namespace DovecotRootHelper.EndToEnd.Tests;

/// <summary>
/// With <c>auth_cache_size</c> set a state change reaches the user at the next login, and
/// <c>doveadm auth cache flush USER</c> (what the admin CLI runs after a change) succeeds. Dovecot
/// 2.3.19 caches no checkpassword result, userdb or passdb: its checkpassword drivers have no cache
/// key, so the hook runs at every login whatever the cache settings (seen here; Dovecot's
/// src/auth/userdb-checkpassword.c sets no default_cache_key). Should a later 2.3 cache them, the
/// middle assertion fails and the flush becomes necessary.
/// </summary>
public abstract class StateChangeWithAuthCache(CheckpasswordDovecot dovecot) : IDisposable
{
    private static readonly string[] HomeRoot = ["Archive 1", "IMAP -", "IMAP/Archive 2", "IMAP/mail -", "IMAP/mail/Lists 2", "INBOX 1", "mail -", "mail/Lists 1"];
    private static readonly string[] ImapRoot = ["Archive 2", "INBOX 1", "mail -", "mail/Lists 2"];

    [Fact]
    public void TheAuthCacheIsOn()
    {
        Assert.Equal("1 M", dovecot.Doveadm("config", "-h", "auth_cache_size").Trim());
    }

    [Fact]
    public void FlagToggleTakesEffectAtTheNextLoginAndAfterAFlush()
    {
        TestUser user = dovecot.Migrated;
        Assert.Equal(ImapRoot, MailClients.MessageCounts(dovecot, user));

        dovecot.WriteState(CheckpasswordDovecot.InitialState.Replace("drhcp-migrated migrated", "drhcp-migrated legacy", StringComparison.Ordinal));
        // Not cached: the new root at once.
        Assert.Equal(HomeRoot, MailClients.MessageCounts(dovecot, user));

        dovecot.RestoreState();
        Assert.Contains("cache entries flushed", dovecot.Doveadm("auth", "cache", "flush", user.Name), StringComparison.Ordinal);
        Assert.Equal(ImapRoot, MailClients.MessageCounts(dovecot, user));
    }

    public void Dispose()
    {
        dovecot.RestoreState();
        GC.SuppressFinalize(this);
    }
}
