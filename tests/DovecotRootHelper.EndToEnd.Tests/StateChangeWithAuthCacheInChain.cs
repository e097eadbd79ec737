using DovecotRootHelper.EndToEnd.Tests.Infrastructure;

namespace DovecotRootHelper.EndToEnd.Tests;

/// <summary>The hook in the passdb chain, with the auth cache on.</summary>
public sealed class StateChangeWithAuthCacheInChain(CachedCheckpasswordChainDovecot dovecot)
    : StateChangeWithAuthCache(dovecot), IClassFixture<CachedCheckpasswordChainDovecot>;
