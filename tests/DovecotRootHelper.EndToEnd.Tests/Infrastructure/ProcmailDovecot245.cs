namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>The migration sandbox with accounts of its own, for the procmail tests, on Debian forky's Dovecot 2.4.5, in the cached forky tree.</summary>
public sealed class ProcmailDovecot245 : MigrationDovecot
{
    public ProcmailDovecot245()
        : base(DovecotGeneration.V245, ["drhmig-pm5-alice", "drhmig-pm5-bob", "drhmig-pm5-carol"], 22616)
    {
    }
}
