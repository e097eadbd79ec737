namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>The hook as the userdb, behind the passwd-file passdb.</summary>
public sealed class CheckpasswordUserdbDovecot() : CheckpasswordDovecot(CheckpasswordRole.Userdb, authCache: false);
