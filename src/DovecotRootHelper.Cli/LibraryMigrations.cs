using DovecotRootHelper.Configuration;
using DovecotRootHelper.Migration;

namespace DovecotRootHelper.Cli;

/// <summary>The real thing: <see cref="UserMigration"/>.</summary>
internal sealed class LibraryMigrations(HelperConfig config, IMigrationObserver? observer) : IMigrations
{
    private readonly UserMigration _migration = new(config, observer);

    public MigrationPlan Plan(string user, MailboxSelection selection) => _migration.Plan(user, selection);

    public MigrationResult Migrate(string user, MailboxSelection selection) => _migration.Migrate(user, selection);

    public MigrationResult Resume(string user, bool rollback) => _migration.Resume(user, rollback);

    public MigrationResult Rollback(string user) => _migration.Rollback(user);

    public JournalSummary? Pending(string user) => _migration.Pending(user);
}
