namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>The private Dovecot with its users, served by Debian 12's Dovecot 2.3.</summary>
public sealed class PrivateDovecot23 : PrivateDovecot
{
    public PrivateDovecot23()
        : base(DovecotGeneration.V23)
    {
    }
}
