namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>Where the hook sits in Dovecot 2.3's authentication, each with its shipped snippet.</summary>
public enum CheckpasswordRole
{
    /// <summary><c>userdb { driver = checkpassword; args = HOOK }</c> behind the passwd-file passdb.</summary>
    Userdb,

    /// <summary><c>passdb { driver = checkpassword; args = CHECKER HOOK }</c> with the prefetch userdb.</summary>
    PassdbChain,
}
