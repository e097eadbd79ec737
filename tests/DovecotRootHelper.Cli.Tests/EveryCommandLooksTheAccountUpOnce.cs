using DovecotRootHelper.Posix;

namespace DovecotRootHelper.Cli.Tests;

/// <summary>
/// Each command that plans, migrates, resumes or rolls back looks the user's account up (getpwnam)
/// once, and hands it to every phase of the migration.
/// </summary>
public class EveryCommandLooksTheAccountUpOnce
{
    [Fact]
    public void PlanMigrateBatchResumeAndRollbackEachLookUpOnce()
    {
        using var home = new CliHome();
        string users = Path.Combine(home.Home.Root, "users");
        File.WriteAllText(users, "alice\n");
        int lookups = 0;
        UnixAccount? Find(string user)
        {
            lookups++;
            return home.Home.Migration.FindAccount(user);
        }
        int Lookups(params string[] arguments)
        {
            lookups = 0;
            CliRun run = InProcessImaproot.Run(home.Home.ConfigPath, Find, arguments);
            Assert.True(run.ExitCode == 0, $"{string.Join(' ', arguments)}: {run.Stderr}");
            return lookups;
        }

        Assert.Equal(1, Lookups("plan", "alice"));
        Assert.Equal(1, Lookups("migrate", "alice", "--yes"));
        Assert.Equal(1, Lookups("rollback", "alice"));
        Assert.Equal(1, Lookups("migrate", "--users-from", users, "--yes"));
        Assert.Equal(1, Lookups("resume", "alice", "--rollback"));
        Assert.StartsWith("alice\tlegacy\t", home.State, StringComparison.Ordinal);
    }
}
