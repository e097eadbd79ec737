namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>The migration sandbox with accounts of its own, for the procmail tests, on Debian 12's Dovecot 2.3.</summary>
public sealed class ProcmailDovecot23 : MigrationDovecot
{
    public ProcmailDovecot23()
        : base(DovecotGeneration.V23, ["drhmig-pm3-alice", "drhmig-pm3-bob", "drhmig-pm3-carol"], 22607)
    {
    }
}
