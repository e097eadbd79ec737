namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>The hook in the passdb chain, with Dovecot's auth cache on.</summary>
public sealed class CachedCheckpasswordChainDovecot() : CheckpasswordDovecot(CheckpasswordRole.PassdbChain, authCache: true);
