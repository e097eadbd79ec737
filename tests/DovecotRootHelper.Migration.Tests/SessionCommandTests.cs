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

    [Fact]
    public void DoveadmWhosHeaderAloneMeansNoSessions()
    {
        // doveadm who -1 prints its header line even with no session left (Dovecot 2.3.19).
        using var probe = new TestHome();
        string script = Path.Combine(probe.Root, "who.sh");
        File.WriteAllText(script, "#!/bin/sh\necho 'username                              proto pid ip'\n");
        File.SetUnixFileMode(script, (UnixFileMode)0x1ED);
        using var home = new TestHome(who: script + " %u", kickTimeout: 1);
        home.Mbox("Archive");
        home.Subscribe("Archive");
        MigrationResult result = home.Migration.Migrate(TestHome.User, MailboxSelection.None);
        Assert.Equal(State.UserState.Migrated, result.FinalState);
    }

    [Theory]
    [InlineData("username                              proto pid ip\n", 0)]
    [InlineData("username                          proto pid   ip\nalice                             imap  12545 127.0.0.1\n", 1)]
    [InlineData("username # proto (pids) (ips)\nalice 2 imap (1 2) (127.0.0.1)\n", 1)]
    [InlineData("", 0)]
    public void WhoOutputIsCountedBySessionLines(string output, int sessions) =>
        Assert.Equal(sessions, SessionControl.SessionLines(output).Length);
}
