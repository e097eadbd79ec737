namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>On Debian forky's Dovecot 2.4.5, in the cached forky tree.</summary>
public sealed class IndexControlDovecot245 : IndexControlDovecot
{
    public IndexControlDovecot245()
        : base(DovecotGeneration.V245, "drhmig-ix5-", 22613)
    {
    }
}
