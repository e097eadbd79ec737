using DovecotRootHelper.EndToEnd.Tests.Infrastructure;

namespace DovecotRootHelper.EndToEnd.Tests;

/// <summary>The hook as the checkpassword userdb, with the auth cache on.</summary>
public sealed class StateChangeWithAuthCacheInUserdb(CachedCheckpasswordUserdbDovecot dovecot)
    : StateChangeWithAuthCache(dovecot), IClassFixture<CachedCheckpasswordUserdbDovecot>;
