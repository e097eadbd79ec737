namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>The migration sandbox served by Debian 13's Dovecot 2.4 in the cached Debian 13 tree.</summary>
public sealed class MigrationDovecot24 : MigrationDovecot
{
    public MigrationDovecot24()
        : base(DovecotGeneration.V24)
    {
    }
}
