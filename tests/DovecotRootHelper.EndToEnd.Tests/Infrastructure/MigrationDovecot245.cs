namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>The migration sandbox served by Debian forky's Dovecot 2.4.5 in the cached forky tree.</summary>
public sealed class MigrationDovecot245 : MigrationDovecot
{
    public MigrationDovecot245()
        : base(DovecotGeneration.V245)
    {
    }
}
