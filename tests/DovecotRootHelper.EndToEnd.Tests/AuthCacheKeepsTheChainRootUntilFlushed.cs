using DovecotRootHelper.EndToEnd.Tests.Infrastructure;

namespace DovecotRootHelper.EndToEnd.Tests;

/// <summary>The passdb cache holds the fields the hook added in the passdb chain.</summary>
public sealed class AuthCacheKeepsTheChainRootUntilFlushed(CachedCheckpasswordChainDovecot dovecot)
    : AuthCacheKeepsTheRootUntilFlushed(dovecot), IClassFixture<CachedCheckpasswordChainDovecot>;
