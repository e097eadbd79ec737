namespace DovecotRootHelper.Testing;

/// <summary>A passwd-file user of the private Dovecot: name, uid (also its gid) and home directory.</summary>
public sealed record TestUser(string Name, int Uid, string Home)
{
    public const string Password = "secret";
}
