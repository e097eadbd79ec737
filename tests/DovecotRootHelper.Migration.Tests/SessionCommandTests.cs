using DovecotRootHelper.Migration.Tests.Infrastructure;

namespace DovecotRootHelper.Migration.Tests;

public class SessionCommandTests
{
    [Fact]
    public void AMissingDoveadmIsNotAnError()
    {
        using var home = new TestHome(who: "/nonexistent/doveadm who -1 %u");
        home.Mbox("Archive");
        home.Subscribe("Archive");
        var config = home.Config with { Migration = home.Config.Migration with { KickCommand = "/nonexistent/doveadm kick %u", FlushCommand = "/nonexistent/doveadm auth cache flush %u" } };
        MigrationResult result = new UserMigration(config) { FindAccount = home.Migration.FindAccount }.Migrate(TestHome.User, MailboxSelection.None);
        Assert.Equal(State.UserState.Migrated, result.FinalState);
        Assert.Contains(result.Messages, m => m.Contains("could not be started", StringComparison.Ordinal));
    }

    [Fact]
    public void CommandsGetTheUserForPercentU()
    {
        using var home = new TestHome();
        string record = Path.Combine(home.Root, "kicked");
        home.Mbox("Archive");
        home.Subscribe("Archive");
        // Without a shell: the words are argv, so a script is what records the argument.
        string script = Path.Combine(home.Root, "kick.sh");
        File.WriteAllText(script, $"#!/bin/sh\necho \"$1\" > {record}\n");
        File.SetUnixFileMode(script, (UnixFileMode)0x1ED);
        var config = home.Config with { Migration = home.Config.Migration with { KickCommand = script + " %u" } };
        new UserMigration(config) { FindAccount = home.Migration.FindAccount }.Migrate(TestHome.User, MailboxSelection.None);
        Assert.Equal("alice\n", File.ReadAllText(record));
    }
}
