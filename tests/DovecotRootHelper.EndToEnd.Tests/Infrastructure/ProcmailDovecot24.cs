namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>The migration sandbox with accounts of its own, for the procmail tests, on Debian 13's Dovecot 2.4, in the cached Debian 13 tree.</summary>
public sealed class ProcmailDovecot24 : MigrationDovecot
{
    public ProcmailDovecot24()
        : base(DovecotGeneration.V24, ["drhmig-pm4-alice", "drhmig-pm4-bob", "drhmig-pm4-carol"], 22610)
    {
    }
}
