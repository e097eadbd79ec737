using DovecotRootHelper.Migration;

namespace DovecotRootHelper.Cli;

/// <summary>The migration library as imaproot uses it; a seam so tests can stand in for it.</summary>
internal interface IMigrations
{
    MigrationPlan Plan(string user, MailboxSelection selection);

    MigrationResult Migrate(string user, MailboxSelection selection);

    MigrationResult Resume(string user, bool rollback);

    MigrationResult Rollback(string user);

    /// <summary>The user's unfinished migration journal, or null when there is none.</summary>
    JournalSummary? Pending(string user);
}
