namespace DovecotRootHelper.Migration;

// TEMPORARY: stand-ins so that the cli branch compiles while branch mig implements these.
// Delete this file when merging mig; nothing else may depend on these bodies.
public sealed partial class UserMigration
{
    public MigrationPlan Plan(string user, MailboxSelection selection) => throw new NotImplementedException("UserMigration.Plan");

    public MigrationResult Migrate(string user, MailboxSelection selection) => throw new NotImplementedException("UserMigration.Migrate");

    public MigrationResult Resume(string user, bool rollback) => throw new NotImplementedException("UserMigration.Resume");

    public MigrationResult Rollback(string user) => throw new NotImplementedException("UserMigration.Rollback");

    public JournalSummary? Pending(string user) => throw new NotImplementedException("UserMigration.Pending");
}

/// <summary>An unfinished migration's journal: whose, how far it got, and where it is.</summary>
public sealed record JournalSummary(string User, string Phase, int StepsDone, int StepCount, string Path);
