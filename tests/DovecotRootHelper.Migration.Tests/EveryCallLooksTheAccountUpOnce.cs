using DovecotRootHelper.Posix;

namespace DovecotRootHelper.Migration.Tests;

/// <summary>
/// The account is looked up (getpwnam) once per user per call and handed to every phase; a call
/// given the account the command looked up looks up nothing.
/// </summary>
public class EveryCallLooksTheAccountUpOnce
{
    private sealed class CountingLookup(TestHome home)
    {
        public int Count { get; private set; }

        public UnixAccount? Find(string user)
        {
            Count++;
            return home.Migration.FindAccount(user);
        }
    }

    private static TestHome Filled()
    {
        var home = new TestHome();
        home.Mbox("Archive", "archive");
        home.Index("Archive");
        home.Subscribe("Archive");
        return home;
    }

    [Fact]
    public void MigrateRollbackAndBatchEachLookTheUserUpOnce()
    {
        using TestHome home = Filled();
        var lookup = new CountingLookup(home);
        var migration = new UserMigration(home.Config) { FindAccount = lookup.Find };

        migration.Migrate(TestHome.User, MailboxSelection.None);
        Assert.Equal(1, lookup.Count);
        migration.Rollback(TestHome.User);
        Assert.Equal(2, lookup.Count);
        BatchResult batch = migration.MigrateBatch([TestHome.User], MailboxSelection.None);
        Assert.Equal(1, batch.Migrated);
        Assert.Equal(3, lookup.Count);
        migration.Resume(TestHome.User, rollback: true);
        Assert.Equal(4, lookup.Count);
    }

    [Fact]
    public void GivenTheAccountNothingIsLookedUp()
    {
        using TestHome home = Filled();
        var lookup = new CountingLookup(home);
        var migration = new UserMigration(home.Config) { FindAccount = lookup.Find };
        UnixAccount account = home.Migration.FindAccount(TestHome.User)!;

        migration.Plan(account, MailboxSelection.None);
        migration.Migrate(account, MailboxSelection.None);
        Assert.Null(migration.Pending(account));
        migration.Rollback(account);
        Assert.Equal(1, migration.MigrateBatch([account], MailboxSelection.None).Migrated);
        Assert.Equal("migrated", home.State());
        Assert.Equal(0, lookup.Count);
    }
}
