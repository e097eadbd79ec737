using DovecotRootHelper.EndToEnd.Tests.Infrastructure;

namespace DovecotRootHelper.EndToEnd.Tests;

/// <summary>The userdb cache holds the hook's answer as the checkpassword userdb.</summary>
public sealed class AuthCacheKeepsTheUserdbRootUntilFlushed(CachedCheckpasswordUserdbDovecot dovecot)
    : AuthCacheKeepsTheRootUntilFlushed(dovecot), IClassFixture<CachedCheckpasswordUserdbDovecot>;
