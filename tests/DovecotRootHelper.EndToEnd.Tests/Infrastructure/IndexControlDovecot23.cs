namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>On Debian 12's Dovecot 2.3.</summary>
public sealed class IndexControlDovecot23 : IndexControlDovecot
{
    public IndexControlDovecot23()
        : base(DovecotGeneration.V23, "drhmig-ix3-", 22601)
    {
    }
}
