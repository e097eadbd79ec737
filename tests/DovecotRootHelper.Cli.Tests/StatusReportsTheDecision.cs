using System.Text.Json;
using DovecotRootHelper.Migration;

namespace DovecotRootHelper.Cli.Tests;

public class StatusReportsTheDecision
{
    [Fact]
    public void AListedUserShowsStateLocationAndNoJournal()
    {
        using var scenario = new CliScenario("root migrated by hand\n");
        CliRun run = scenario.RunInProcess(["status", "root"]);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(
            $"root: migrated (listed in {scenario.StatePath} line 1)\n  note: by hand\n  mail: mbox:/root/IMAP:INBOX=/var/mail/root\n  journal: none pending\n",
            run.Stdout);
    }

    [Fact]
    public void AnUnlistedUserSaysWhichRuleDecided()
    {
        using var scenario = new CliScenario("", extraState: "migrated-from-uid = 1000");
        CliRun run = scenario.RunInProcess(["status", "nobody", "daemon", "root"]);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("nobody: migrated (not listed; uid 65534 >= migrated-from-uid 1000)", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("daemon: legacy (not listed; uid 1 < migrated-from-uid 1000; default legacy)", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutAUidRuleAnUnlistedUserGetsTheDefault()
    {
        using var scenario = new CliScenario("", extraState: "default = migrated");
        CliRun run = scenario.RunInProcess(["status", "root"]);
        Assert.StartsWith("root: migrated (not listed; default migrated)", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Dovecot24ShowsTheSplitFields()
    {
        using var scenario = new CliScenario("root legacy\n", version: "2.4");
        CliRun run = scenario.RunInProcess(["status", "root"]);
        Assert.Contains("  mail_driver: mbox\n  mail_path: /root\n  mail_inbox_path: /var/mail/root\n", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void APendingJournalIsShownWithTheWayOut()
    {
        using var home = new CliHome();
        MigrationPlan plan = home.InterruptedMigration(stepsDone: 2);
        CliRun run = home.Run("status", "alice");
        Assert.Equal(0, run.ExitCode);
        string journal = Journal.PathFor(home.Home.Config.Migration.JournalDirectory, "alice");
        Assert.Equal(
            $"alice: migrating (listed in {home.StatePath} line 1)\n" +
            "  logins: refused until the migration is resumed or rolled back\n" +
            $"  journal: pending, phase planned, 2 of {plan.Steps.Count} steps done ({journal}); imaproot resume alice or imaproot resume --rollback alice\n",
            run.Stdout);
    }

    [Fact]
    public void JsonHasOneObjectPerUser()
    {
        using var home = new CliHome();
        home.AddAccount("bob", 23002);
        MigrationPlan plan = home.InterruptedMigration(stepsDone: 2);
        CliRun run = home.Run("status", "alice", "bob", "--json");
        Assert.Equal(0, run.ExitCode);
        using JsonDocument json = JsonDocument.Parse(run.Stdout);
        JsonElement alice = json.RootElement.GetProperty("users")[0];
        Assert.Equal("alice", alice.GetProperty("user").GetString());
        Assert.Equal(TestHome.Uid, alice.GetProperty("uid").GetUInt32());
        Assert.Equal(home.Home.Home, alice.GetProperty("home").GetString());
        Assert.Equal("migrating", alice.GetProperty("state").GetString());
        Assert.True(alice.GetProperty("listed").GetBoolean());
        Assert.Equal(1, alice.GetProperty("line").GetInt32());
        Assert.True(alice.GetProperty("loginsRefused").GetBoolean());
        Assert.Equal(JsonValueKind.Null, alice.GetProperty("location").ValueKind);
        Assert.Equal(2, alice.GetProperty("pending").GetProperty("stepsDone").GetInt32());
        Assert.Equal(plan.Steps.Count, alice.GetProperty("pending").GetProperty("stepCount").GetInt32());
        Assert.Equal(Journal.PathFor(home.Home.Config.Migration.JournalDirectory, "alice"), alice.GetProperty("pending").GetProperty("path").GetString());
        JsonElement bob = json.RootElement.GetProperty("users")[1];
        string bobHome = Path.Combine(home.Home.Root, "home", "bob");
        Assert.False(bob.GetProperty("listed").GetBoolean());
        Assert.Equal($"mbox:{bobHome}:INBOX=/var/mail/bob", bob.GetProperty("location").GetString());
        Assert.Equal($"mbox:{bobHome}:INBOX=/var/mail/bob", bob.GetProperty("fields").GetProperty("mail").GetString());
        Assert.Equal(JsonValueKind.Null, bob.GetProperty("pending").ValueKind);
    }

    [Fact]
    public void AFinishedMigrationsKeptJournalIsNotPending()
    {
        using var home = new CliHome();
        Assert.Equal(0, home.Run("migrate", "alice", "--yes").ExitCode);
        Assert.True(File.Exists(Journal.PathFor(home.Home.Config.Migration.JournalDirectory, "alice")));
        CliRun run = home.Run("status", "alice");
        Assert.Equal(0, run.ExitCode);
        Assert.EndsWith("  journal: none pending\n", run.Stdout, StringComparison.Ordinal);
        Assert.StartsWith("alice: migrated", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownUserExits3AndTheOthersAreStillShown()
    {
        using var scenario = new CliScenario("root legacy\n");
        CliRun run = scenario.RunInProcess(["status", "no-such-user-here", "root"]);
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
