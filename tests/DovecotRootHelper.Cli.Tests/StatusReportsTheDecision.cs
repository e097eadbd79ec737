using System.Text.Json;
using DovecotRootHelper.Migration;

namespace DovecotRootHelper.Cli.Tests;

public class StatusReportsTheDecision
{
    [Fact]
    public void AListedUserShowsStateLocationAndNoJournal()
    {
        using var scenario = new CliScenario("root migrated by hand\n");
        CliRun run = scenario.RunInProcess(new FakeMigrations(), ["status", "root"]);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(
            $"root: migrated (listed in {scenario.StatePath} line 1)\n  note: by hand\n  mail: mbox:/root/IMAP:INBOX=/var/mail/root\n  journal: none pending\n",
            run.Stdout);
    }

    [Fact]
    public void AnUnlistedUserSaysWhichRuleDecided()
    {
        using var scenario = new CliScenario("", extraState: "migrated-from-uid = 1000");
        CliRun run = scenario.RunInProcess(new FakeMigrations(), ["status", "nobody", "daemon", "root"]);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("nobody: migrated (not listed; uid 65534 >= migrated-from-uid 1000)", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("daemon: legacy (not listed; uid 1 < migrated-from-uid 1000; default legacy)", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutAUidRuleAnUnlistedUserGetsTheDefault()
    {
        using var scenario = new CliScenario("", extraState: "default = migrated");
        CliRun run = scenario.RunInProcess(new FakeMigrations(), ["status", "root"]);
        Assert.StartsWith("root: migrated (not listed; default migrated)", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Dovecot24ShowsTheSplitFields()
    {
        using var scenario = new CliScenario("root legacy\n", version: "2.4");
        CliRun run = scenario.RunInProcess(new FakeMigrations(), ["status", "root"]);
        Assert.Contains("  mail_driver: mbox\n  mail_path: /root\n  mail_inbox_path: /var/mail/root\n", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void APendingJournalIsShownWithTheWayOut()
    {
        using var scenario = new CliScenario("root migrating\n");
        var migrations = new FakeMigrations();
        migrations.PendingJournals["root"] = new JournalSummary("root", "/j/root", "moves", 2, 9, false);
        CliRun run = scenario.RunInProcess(migrations, ["status", "root"]);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("  logins: refused until the migration is resumed or rolled back\n", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("  journal: pending, phase moves, 2 of 9 steps done (/j/root); imaproot resume root or imaproot resume --rollback root", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void JsonHasOneObjectPerUser()
    {
        using var scenario = new CliScenario("root migrating\n");
        var migrations = new FakeMigrations();
        migrations.PendingJournals["root"] = new JournalSummary("root", "/j/root", "moves", 2, 9, false);
        CliRun run = scenario.RunInProcess(migrations, ["status", "root", "daemon", "--json"]);
        Assert.Equal(0, run.ExitCode);
        using JsonDocument json = JsonDocument.Parse(run.Stdout);
        JsonElement root = json.RootElement.GetProperty("users")[0];
        Assert.Equal("root", root.GetProperty("user").GetString());
        Assert.Equal(0u, root.GetProperty("uid").GetUInt32());
        Assert.Equal("/root", root.GetProperty("home").GetString());
        Assert.Equal("migrating", root.GetProperty("state").GetString());
        Assert.True(root.GetProperty("listed").GetBoolean());
        Assert.Equal(1, root.GetProperty("line").GetInt32());
        Assert.True(root.GetProperty("loginsRefused").GetBoolean());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("location").ValueKind);
        Assert.Equal(2, root.GetProperty("pending").GetProperty("stepsDone").GetInt32());
        Assert.Equal("/j/root", root.GetProperty("pending").GetProperty("path").GetString());
        JsonElement daemon = json.RootElement.GetProperty("users")[1];
        Assert.False(daemon.GetProperty("listed").GetBoolean());
        Assert.Equal("mbox:/usr/sbin:INBOX=/var/mail/daemon", daemon.GetProperty("location").GetString());
        Assert.Equal("mbox:/usr/sbin:INBOX=/var/mail/daemon", daemon.GetProperty("fields").GetProperty("mail").GetString());
        Assert.Equal(JsonValueKind.Null, daemon.GetProperty("pending").ValueKind);
    }

    [Fact]
    public void AnUnknownUserExits3AndTheOthersAreStillShown()
    {
        using var scenario = new CliScenario("root legacy\n");
        CliRun run = scenario.RunInProcess(new FakeMigrations(), ["status", "no-such-user-here", "root"]);
        Assert.Equal(3, run.ExitCode);
        run.AssertOneErrorLine("no-such-user-here: no such user");
        Assert.StartsWith("root: legacy", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownUserExits3FromThePublishedBinary()
    {
        using var scenario = new CliScenario("");
        CliRun run = scenario.Run("status", "no-such-user-here");
        Assert.Equal(3, run.ExitCode);
        run.AssertOneErrorLine("no-such-user-here: no such user");
    }

    [Fact]
    public void ABadLineForTheUserExits4AsTheHookWouldRefuse()
    {
        using var scenario = new CliScenario("root sideways\n");
        CliRun run = scenario.Run("status", "root");
        Assert.Equal(4, run.ExitCode);
        run.AssertOneErrorLine("root: logins refused:");
    }

    [Fact]
    public void AMissingStateFileExits4()
    {
        using var scenario = new CliScenario(writeState: false);
        CliRun run = scenario.Run("status", "root");
        Assert.Equal(4, run.ExitCode);
        run.AssertOneErrorLine("cannot open");
    }
}
