namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>The private Dovecot with its users, served by Debian forky's Dovecot 2.4.5 in the cached forky tree.</summary>
public sealed class PrivateDovecot245 : PrivateDovecot
{
    public PrivateDovecot245()
        : base(DovecotGeneration.V245)
    {
    }
}
