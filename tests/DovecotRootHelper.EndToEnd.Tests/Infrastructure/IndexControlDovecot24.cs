namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>On Debian 13's Dovecot 2.4, in the cached Debian 13 tree.</summary>
public sealed class IndexControlDovecot24 : IndexControlDovecot
{
    public IndexControlDovecot24()
        : base(DovecotGeneration.V24, "drhmig-ix4-", 22604)
    {
    }
}
