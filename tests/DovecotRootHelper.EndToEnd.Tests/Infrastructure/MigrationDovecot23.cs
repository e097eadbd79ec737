namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>The migration sandbox served by Debian 12's Dovecot 2.3.</summary>
public sealed class MigrationDovecot23 : MigrationDovecot
{
    public MigrationDovecot23()
        : base(DovecotGeneration.V23)
    {
    }
}
