namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>The hook in the passdb checkpassword chain, with the prefetch userdb.</summary>
public sealed class CheckpasswordChainDovecot() : CheckpasswordDovecot(CheckpasswordRole.PassdbChain, authCache: false);
