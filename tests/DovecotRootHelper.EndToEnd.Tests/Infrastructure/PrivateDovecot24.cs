namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>The private Dovecot with its users, served by Debian 13's Dovecot 2.4 in the cached Debian 13 tree.</summary>
public sealed class PrivateDovecot24 : PrivateDovecot
{
    public PrivateDovecot24()
        : base(DovecotGeneration.V24)
    {
    }
}
