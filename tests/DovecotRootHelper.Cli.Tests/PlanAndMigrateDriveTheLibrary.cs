using System.Text.Json;

namespace DovecotRootHelper.Cli.Tests;

public class PlanAndMigrateDriveTheLibrary
{
    [Fact]
    public void PlanShowsMailboxesEvidenceStepsAndNotes()
    {
        using var scenario = new CliScenario("root legacy\n");
        var migrations = new FakeMigrations();
        CliRun run = scenario.RunInProcess(migrations, ["plan", "root", "--mailbox", "Entw&APw-rfe"]);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["plan root [Entw&APw-rfe]"], migrations.Calls);
        string expected = """
            root (uid 1001, home /home/root): /home/root -> /home/root/IMAP
            mailboxes (2):
              mail/Archive  [subscribed,indexed]  moves
              Entw&APw-rfe  (Entwürfe)  [given,logged]  missing
            steps (3):
                1. mkdir IMAP/mail (mode 0700)
                2. move mail/Archive -> IMAP/mail/Archive
                3. move mail/.imap/Archive -> IMAP/mail/.imap/Archive/
            left in place (1):
              notes.txt: looks like mbox but no evidence: left in place
            sessions: kicked with 'doveadm kick root', then 'doveadm -f flow who -1 root' must list none; if either fails or hangs, the migration is refused
            root: can migrate (3 step(s))

            """;
        Assert.Equal(expected, run.Stdout);
    }

    [Fact]
    public void MailboxesFromAFileAreGivenOneNameALine()
    {
        using var scenario = new CliScenario("root legacy\n");
        string list = scenario.Write("boxes", "My Folder\r\n#hash\n\nmail/Archive\n");
        var migrations = new FakeMigrations();
        scenario.RunInProcess(migrations, ["plan", "root", "--mailboxes-from", list, "--mailbox", "x"]);
        Assert.Equal(["plan root [x,My Folder,#hash,mail/Archive]"], migrations.Calls);
    }

    [Fact]
    public void APlanWithConflictsExits1()
    {
        using var scenario = new CliScenario("root legacy\n");
        var migrations = new FakeMigrations();
        migrations.Plans["root"] = FakeMigrations.SamplePlan("root", conflict: true);
        CliRun run = scenario.RunInProcess(migrations, ["plan", "root"]);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("conflicts (1):\n  IMAP/mail/Archive: destination exists\n", run.Stdout, StringComparison.Ordinal);
        run.AssertOneErrorLine("root: the plan has 1 conflict(s)");
    }

    [Fact]
    public void PlanJsonShape()
    {
        using var scenario = new CliScenario("root legacy\n");
        CliRun run = scenario.RunInProcess(new FakeMigrations(), ["plan", "root", "--json"]);
        using JsonDocument json = JsonDocument.Parse(run.Stdout);
        JsonElement plan = json.RootElement;
        Assert.True(plan.GetProperty("canExecute").GetBoolean());
        Assert.Equal("/home/root/IMAP", plan.GetProperty("migratedRoot").GetString());
        JsonElement mailbox = plan.GetProperty("mailboxes")[1];
        Assert.Equal("Entw&APw-rfe", mailbox.GetProperty("name").GetString());
        Assert.Equal("Entwürfe", mailbox.GetProperty("displayName").GetString());
        Assert.Equal(["given", "logged"], mailbox.GetProperty("evidence").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("missing", mailbox.GetProperty("disposition").GetString());
        JsonElement mkdir = plan.GetProperty("steps")[0];
        Assert.Equal("mkdir", mkdir.GetProperty("action").GetString());
        Assert.Equal("0700", mkdir.GetProperty("mode").GetString());
        JsonElement move = plan.GetProperty("steps")[1];
        Assert.Equal("move", move.GetProperty("action").GetString());
        Assert.Equal("mail/Archive", move.GetProperty("from").GetString());
        Assert.Equal("IMAP/mail/Archive", move.GetProperty("to").GetString());
        Assert.Equal("file", move.GetProperty("kind").GetString());
        Assert.Equal("notes.txt", plan.GetProperty("notes")[0].GetProperty("path").GetString());
        Assert.Equal(0, plan.GetProperty("conflicts").GetArrayLength());
        Assert.Contains("Entwürfe", run.Stdout, StringComparison.Ordinal);
        Assert.StartsWith("sessions: kicked with 'doveadm kick root'", plan.GetProperty("sessions").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void PlanSaysWhenThereIsNoDovecotToAsk()
    {
        using var scenario = new CliScenario("root legacy\n");
        File.AppendAllText(scenario.ConfigPath, "\nwho =\n");
        CliRun run = scenario.RunInProcess(new FakeMigrations(), ["plan", "root"]);
        Assert.Contains("sessions: not checked ([migration] who is empty: no Dovecot to ask)\n", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void PlanForAnUnknownUserExits3()
    {
        using var scenario = new CliScenario("");
        CliRun run = scenario.Run("plan", "no-such-user-here");
        Assert.Equal(3, run.ExitCode);
        run.AssertOneErrorLine("no-such-user-here: no such user");
    }

    [Fact]
    public void MigrateWithoutYesRefusesWhenStdinIsNotATerminal()
    {
        using var scenario = new CliScenario("root legacy\n");
        CliRun run = scenario.Run("migrate", "root");
        Assert.Equal(2, run.ExitCode);
        run.AssertOneErrorLine("stdin is not a terminal, so nobody can confirm: add --yes");
    }

    [Fact]
    public void MigrateAsksOnATerminalAndStopsWithoutYes()
    {
        using var scenario = new CliScenario("root legacy\n");
        var migrations = new FakeMigrations();
        CliRun run = scenario.RunInProcess(migrations, ["migrate", "root", "daemon"], stdin: "n\n", terminal: true);
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("Migrate 2 user(s)? [y/N] ", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("not confirmed; nothing done", run.Stderr, StringComparison.Ordinal);
        Assert.Empty(migrations.Calls);
    }

    [Fact]
    public void MigrateAsksOnATerminalAndGoesOnYes()
    {
        using var scenario = new CliScenario("root legacy\n");
        var migrations = new FakeMigrations();
        CliRun run = scenario.RunInProcess(migrations, ["migrate", "root"], stdin: "y\n", terminal: true);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["migrate root []"], migrations.Calls);
        Assert.Contains("\r\u001b[Kroot: [3/3] step 3\n", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void MigrateMigratesEachUserInTurnWithPlainProgressWhenNotATerminal()
    {
        using var scenario = new CliScenario("");
        var migrations = new FakeMigrations();
        CliRun run = scenario.RunInProcess(migrations, ["migrate", "root", "daemon", "--yes"]);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["migrate root []", "migrate daemon []"], migrations.Calls);
        Assert.Equal("""
            root: moving mailboxes
            root: [1/3] step 1
            root: [2/3] step 2
            root: [3/3] step 3
            root: auth cache flushed
            root: migrated (3 of 3 step(s) done)
            daemon: moving mailboxes
            daemon: [1/3] step 1
            daemon: [2/3] step 2
            daemon: [3/3] step 3
            daemon: auth cache flushed
            daemon: migrated (3 of 3 step(s) done)

            """, run.Stdout);
    }

    [Fact]
    public void OneUsersFailureDoesNotStopTheNextAndExits1()
    {
        using var scenario = new CliScenario("");
        var migrations = new FakeMigrations();
        migrations.Failing.Add("root");
        CliRun run = scenario.RunInProcess(migrations, ["migrate", "root", "daemon", "--yes", "--json"]);
        Assert.Equal(1, run.ExitCode);
        run.AssertOneErrorLine("root: state is migrated, expected legacy");
        using JsonDocument json = JsonDocument.Parse(run.Stdout);
        JsonElement results = json.RootElement.GetProperty("results");
        Assert.Equal("root: state is migrated, expected legacy", results[0].GetProperty("error").GetString());
        Assert.Equal("migrated", results[1].GetProperty("state").GetString());
        Assert.Equal(3, results[1].GetProperty("stepsDone").GetInt32());
        Assert.Equal(3, results[1].GetProperty("stepCount").GetInt32());
    }

    [Fact]
    public void MigrateChecksEveryUserExistsBeforeStarting()
    {
        using var scenario = new CliScenario("");
        var migrations = new FakeMigrations();
        CliRun run = scenario.RunInProcess(migrations, ["migrate", "root", "no-such-user-here", "--yes"]);
        Assert.Equal(3, run.ExitCode);
        Assert.Empty(migrations.Calls);
    }

    [Fact]
    public void DryRunPlansWithoutAskingOrMigrating()
    {
        using var scenario = new CliScenario("");
        var migrations = new FakeMigrations();
        CliRun run = scenario.RunInProcess(migrations, ["migrate", "root", "daemon", "--dry-run", "--json"]);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["plan root []", "plan daemon []"], migrations.Calls);
        using JsonDocument json = JsonDocument.Parse(run.Stdout);
        Assert.Equal(2, json.RootElement.GetProperty("plans").GetArrayLength());
    }

    [Fact]
    public void ResumeRollbackAndRollbackCallTheLibrary()
    {
        using var scenario = new CliScenario("");
        var migrations = new FakeMigrations();
        Assert.Equal(0, scenario.RunInProcess(migrations, ["resume", "root"]).ExitCode);
        Assert.Equal(0, scenario.RunInProcess(migrations, ["resume", "root", "--rollback"]).ExitCode);
        CliRun rollback = scenario.RunInProcess(migrations, ["rollback", "root"]);
        Assert.Equal(["resume root rollback=False", "resume root rollback=True", "rollback root"], migrations.Calls);
        Assert.EndsWith("root: legacy (3 of 3 step(s) done)\n", rollback.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void RollbackTakesNoOptionsButTheGlobalOnes()
    {
        using var scenario = new CliScenario("");
        CliRun run = scenario.Run("rollback", "root", "--yes");
        Assert.Equal(2, run.ExitCode);
        run.AssertOneErrorLine("rollback: unknown option --yes");
    }
}
