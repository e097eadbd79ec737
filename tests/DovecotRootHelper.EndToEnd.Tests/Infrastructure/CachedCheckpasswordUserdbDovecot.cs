namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>The hook as the userdb, with Dovecot's auth cache on.</summary>
public sealed class CachedCheckpasswordUserdbDovecot() : CheckpasswordDovecot(CheckpasswordRole.Userdb, authCache: true);
