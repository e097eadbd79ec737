using System.Text.Json;
using DovecotRootHelper.Migration;

namespace DovecotRootHelper.Cli.Tests;

/// <summary>
/// plan, migrate, resume and rollback in process over the real library on alice's temporary home
/// (<see cref="CliHome"/>); the published binary where getpwnam itself is the behaviour.
/// </summary>
public class PlanAndMigrateDriveTheLibrary
{
    private const string Steps = """
        steps (8):
            1. mkdir IMAP (mode 0700)
            2. move .imap -> IMAP/.imap/
            3. move .subscriptions -> IMAP/.subscriptions
            4. move Archive -> IMAP/Archive
            5. mkdir IMAP/mail (mode 0700)
            6. move mail/Sent -> IMAP/mail/Sent
            7. mkdir IMAP/mail/.imap (mode 0700)
            8. move mail/.imap/Sent -> IMAP/mail/.imap/Sent/

        """;

    [Fact]
    public void PlanShowsMailboxesEvidenceStepsAndNotesAndTouchesNothing()
    {
        using var home = new CliHome();
        var before = home.Tree;
        CliRun run = home.Run("plan", "alice", "--mailbox", "Entw&APw-rfe");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal($"""
            alice (uid 23001, home {home.Home.Home}): ~ -> ~/IMAP
            mailboxes (3):
              Archive       [subscribed,indexed]  moves
              Entw&APw-rfe  (Entwürfe)  [given]  missing
              mail/Sent     [subscribed,indexed]  moves
            {Steps}left in place (1):
              Entw&APw-rfe: given but no such file: nothing to move
            sessions: kicked with '/bin/true alice', then '/bin/true' must list none; if either fails or hangs, the migration is refused
            alice: can migrate (8 step(s))

            """, run.Stdout);
        Assert.Empty(run.Stderr);
        Assert.Equal(before, home.Tree);
        Assert.Equal("alice\tlegacy\n", home.State);
    }

    [Fact]
    public void MailboxesFromAFileAreGivenOneNameALine()
    {
        using var home = new CliHome();
        string list = Path.Combine(home.Home.Root, "boxes");
        File.WriteAllText(list, "My Folder\r\n#hash\n\nArchive\n");
        CliRun run = home.Run("plan", "alice", "--json", "--mailboxes-from", list, "--mailbox", "x");
        Assert.Equal(0, run.ExitCode);
        using JsonDocument json = JsonDocument.Parse(run.Stdout);
        string[] given = [.. json.RootElement.GetProperty("mailboxes").EnumerateArray()
            .Where(m => m.GetProperty("evidence").EnumerateArray().Any(e => e.GetString() == "given"))
            .Select(m => m.GetProperty("name").GetString()!)];
        Assert.Equal(["#hash", "Archive", "My Folder", "x"], given);
    }

    [Fact]
    public void APlanWithConflictsExits1()
    {
        using var home = new CliHome();
        home.Home.File("IMAP/Archive", "already here");
        CliRun run = home.Run("plan", "alice");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("conflicts (1):\n  IMAP/Archive: the destination already exists\n", run.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("alice: cannot migrate: 1 conflict(s)\n", run.Stdout, StringComparison.Ordinal);
        run.AssertOneErrorLine("alice: the plan has 1 conflict(s)");
    }

    [Fact]
    public void PlanJsonShape()
    {
        using var home = new CliHome();
        CliRun run = home.Run("plan", "alice", "--json", "--mailbox", "Entw&APw-rfe");
        Assert.Equal(0, run.ExitCode);
        using JsonDocument json = JsonDocument.Parse(run.Stdout);
        JsonElement plan = json.RootElement;
        Assert.True(plan.GetProperty("canExecute").GetBoolean());
        Assert.Equal(home.Home.Home, plan.GetProperty("home").GetString());
        Assert.Equal("", plan.GetProperty("legacyRoot").GetString());
        Assert.Equal("IMAP", plan.GetProperty("migratedRoot").GetString());
        JsonElement mailbox = plan.GetProperty("mailboxes")[1];
        Assert.Equal("Entw&APw-rfe", mailbox.GetProperty("name").GetString());
        Assert.Equal("Entwürfe", mailbox.GetProperty("displayName").GetString());
        Assert.Equal(["given"], mailbox.GetProperty("evidence").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("missing", mailbox.GetProperty("disposition").GetString());
        JsonElement mkdir = plan.GetProperty("steps")[0];
        Assert.Equal("mkdir", mkdir.GetProperty("action").GetString());
        Assert.Equal("IMAP", mkdir.GetProperty("path").GetString());
        Assert.Equal("0700", mkdir.GetProperty("mode").GetString());
        JsonElement index = plan.GetProperty("steps")[1];
        Assert.Equal(".imap", index.GetProperty("from").GetString());
        Assert.Equal("directory", index.GetProperty("kind").GetString());
        JsonElement move = plan.GetProperty("steps")[3];
        Assert.Equal("move", move.GetProperty("action").GetString());
        Assert.Equal("Archive", move.GetProperty("from").GetString());
        Assert.Equal("IMAP/Archive", move.GetProperty("to").GetString());
        Assert.Equal("file", move.GetProperty("kind").GetString());
        Assert.Equal("Entw&APw-rfe", plan.GetProperty("notes")[0].GetProperty("path").GetString());
        Assert.Equal(0, plan.GetProperty("conflicts").GetArrayLength());
        Assert.Contains("Entwürfe", run.Stdout, StringComparison.Ordinal);
        Assert.StartsWith("sessions: kicked with '/bin/true alice'", plan.GetProperty("sessions").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void PlanSaysWhenThereIsNoDovecotToAsk()
    {
        using var home = new CliHome(who: "");
        CliRun run = home.Run("plan", "alice");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("sessions: not checked ([migration] who is empty: no Dovecot to ask)\n", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void PlanSaysWhichServersTheDoveadmProtocolReaches()
    {
        using var home = new CliHome();
        string config = File.ReadAllText(home.Home.ConfigPath)
            .Replace("kick = /bin/true %u\n", "doveadm-servers = imap1.example.org:24245 [2001:db8::1]:24245\n", StringComparison.Ordinal)
            .Replace("who = /bin/true\n", "doveadm-password-file = /etc/dovecot-root-helper.doveadm-password\n", StringComparison.Ordinal)
            .Replace("flush = /bin/true %u\n", "", StringComparison.Ordinal);
        File.WriteAllText(home.Home.ConfigPath, config);

        CliRun run = home.Run("plan", "alice");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("sessions: kicked over the doveadm protocol on imap1.example.org:24245, [2001:db8::1]:24245, then who on each must list none; if a server does not answer, refuses the password or fails, the migration is refused\n", run.Stdout, StringComparison.Ordinal);
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
        using var home = new CliHome();
        home.AddAccount("bob", 23002);
        var before = home.Tree;
        CliRun run = home.Run(["migrate", "alice", "bob"], stdin: "n\n", terminal: true);
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("Migrate 2 user(s)? [y/N] ", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("not confirmed; nothing done", run.Stderr, StringComparison.Ordinal);
        Assert.Empty(run.Stdout);
        Assert.Equal(before, home.Tree);
        Assert.Equal("alice\tlegacy\n", home.State);
    }

    [Fact]
    public void MigrateAsksOnATerminalAndGoesOnYesRedrawingOneProgressLine()
    {
        using var home = new CliHome();
        CliRun run = home.Run(["migrate", "alice"], stdin: "y\n", terminal: true);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("Migrate 1 user(s)? [y/N] ", run.Stderr);
        Assert.Contains(
            "alice: moving\n\r\u001b[Kalice: [1/8] mkdir IMAP\r\u001b[Kalice: [2/8] .imap -> IMAP/.imap\r\u001b[Kalice: [3/8] .subscriptions -> IMAP/.subscriptions"
            + "\r\u001b[Kalice: [4/8] Archive -> IMAP/Archive\r\u001b[Kalice: [5/8] mkdir IMAP/mail\r\u001b[Kalice: [6/8] mail/Sent -> IMAP/mail/Sent"
            + "\r\u001b[Kalice: [7/8] mkdir IMAP/mail/.imap\r\u001b[Kalice: [8/8] mail/.imap/Sent -> IMAP/mail/.imap/Sent\nalice: verifying\n",
            run.Stdout,
            StringComparison.Ordinal);
        Assert.StartsWith("alice\tmigrated\t", home.State, StringComparison.Ordinal);
    }

    [Fact]
    public void SeveralUsersAreOneBatchWithPlainProgressAndAKeptReport()
    {
        using var home = new CliHome();
        home.AddAccount("bob", 23002);
        var before = home.Tree;
        CliRun run = home.Run("migrate", "alice", "bob", "--yes");
        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Stderr);
        string stdout = System.Text.RegularExpressions.Regex.Replace(run.Stdout, @"[0-9]+\.[0-9]{3} s|[0-9-]{10}T[0-9:]{8}(\.[0-9]{3})?Z|batch-[0-9T]+Z", "#");
        long aliceBytes = new FileInfo(home.Home.PathOf("IMAP/Archive")).Length + new FileInfo(home.Home.PathOf("IMAP/mail/Sent")).Length;
        long bobBytes = new FileInfo(Path.Combine(home.Home.Root, "home", "bob", "IMAP", "Archive")).Length;
        Assert.Equal($"""
            alice: refusing logins (state migrating, with the batch)
            bob: refusing logins (state migrating, with the batch)
            alice: closing sessions
            bob: closing sessions
            alice: moving
            alice: [1/8] mkdir IMAP
            alice: [2/8] .imap -> IMAP/.imap
            alice: [3/8] .subscriptions -> IMAP/.subscriptions
            alice: [4/8] Archive -> IMAP/Archive
            alice: [5/8] mkdir IMAP/mail
            alice: [6/8] mail/Sent -> IMAP/mail/Sent
            alice: [7/8] mkdir IMAP/mail/.imap
            alice: [8/8] mail/.imap/Sent -> IMAP/mail/.imap/Sent
            alice: verifying
            bob: moving
            bob: [1/3] mkdir IMAP
            bob: [2/3] .subscriptions -> IMAP/.subscriptions
            bob: [3/3] Archive -> IMAP/Archive
            bob: verifying
            batch of 2 user(s), # to # (#): 2 migrated, 0 failed (report kept at {home.Home.Config.Migration.JournalDirectory}/#.txt)
            alice: migrated: 2 mailbox(es), {aliceBytes} bytes, 8 step(s) in #; logins refused #
            bob: migrated: 1 mailbox(es), {bobBytes} bytes, 3 step(s) in #; logins refused #

            """, stdout);
        string kept = Assert.Single(Directory.GetFiles(home.Home.Config.Migration.JournalDirectory, "batch-*.txt"));
        Assert.Equal(run.Stdout[run.Stdout.IndexOf("batch of", StringComparison.Ordinal)..], File.ReadAllText(kept));
        Assert.True(File.Exists(Path.ChangeExtension(kept, ".json")));
        Assert.Equal(["alice\tmigrated", "bob\tmigrated"], home.State.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => string.Join('\t', l.Split('\t')[..2])));
        Assert.Equal("archive", File.ReadAllText(home.Home.PathOf("IMAP/Archive")).Split('\n')[1]["Subject: ".Length..]);
        Assert.True(File.Exists(Path.Combine(home.Home.Root, "home", "bob", "IMAP", "Archive")));
        Assert.NotEqual(before, home.Tree);
    }

    [Fact]
    public void OneUsersFailureDoesNotStopTheNextAndExits1()
    {
        using var home = new CliHome();
        home.AddAccount("bob", 23002);
        File.AppendAllText(home.StatePath, "bob\tmigrated\n");
        CliRun run = home.Run("migrate", "bob", "alice", "--yes", "--json");
        Assert.Equal(1, run.ExitCode);
        string error = $"bob: bob is in state migrated, not legacy (listed in {home.StatePath} line 2); nothing was touched";
        run.AssertOneErrorLine(error);
        using JsonDocument json = JsonDocument.Parse(run.Stdout);
        JsonElement results = json.RootElement.GetProperty("results");
        Assert.Equal(error, results[0].GetProperty("error").GetString());
        Assert.Equal("migrated", results[1].GetProperty("state").GetString());
        Assert.Equal(8, results[1].GetProperty("stepsDone").GetInt32());
        Assert.Equal(8, results[1].GetProperty("stepCount").GetInt32());
        Assert.True(File.Exists(Path.Combine(home.Home.Root, "home", "bob", "Archive")));
    }

    [Fact]
    public void AKickThatFailsRefusesTheMigrationAndMovesNothing()
    {
        using var home = new CliHome(kick: "/bin/false %u");
        var before = home.Tree;
        CliRun run = home.Run("migrate", "alice", "--yes");
        Assert.Equal(1, run.ExitCode);
        run.AssertOneErrorLine("alice: '/bin/false alice' exited with 1: no output; user back to legacy, nothing moved");
        Assert.Equal(before, home.Tree);
        Assert.StartsWith("alice\tlegacy\t", home.State, StringComparison.Ordinal);
    }

    [Fact]
    public void MigrateChecksEveryUserExistsBeforeStarting()
    {
        using var home = new CliHome();
        var before = home.Tree;
        CliRun run = home.Run("migrate", "alice", "no-such-user-here", "--yes");
        Assert.Equal(3, run.ExitCode);
        run.AssertOneErrorLine("no-such-user-here: no such user");
        Assert.Equal(before, home.Tree);
        Assert.Equal("alice\tlegacy\n", home.State);
    }

    [Fact]
    public void DryRunPlansWithoutAskingOrMigrating()
    {
        using var home = new CliHome();
        home.AddAccount("bob", 23002);
        var before = home.Tree;
        CliRun run = home.Run("migrate", "alice", "bob", "--dry-run", "--json");
        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Stderr);
        using JsonDocument json = JsonDocument.Parse(run.Stdout);
        JsonElement plans = json.RootElement.GetProperty("plans");
        Assert.Equal(["alice", "bob"], plans.EnumerateArray().Select(p => p.GetProperty("user").GetString()));
        Assert.Equal([8, 3], plans.EnumerateArray().Select(p => p.GetProperty("steps").GetArrayLength()));
        Assert.Equal(before, home.Tree);
        Assert.Equal("alice\tlegacy\n", home.State);
        Assert.False(Directory.Exists(home.Home.Config.Migration.JournalDirectory));
    }

    [Fact]
    public void ResumeFinishesAnInterruptedMigration()
    {
        using var home = new CliHome();
        var before = home.Tree;
        MigrationPlan plan = home.InterruptedMigration(stepsDone: 3);
        CliRun run = home.Run("resume", "alice");
        Assert.Equal(0, run.ExitCode);
        Assert.EndsWith("alice: migrated (8 of 8 step(s) done)\n", run.Stdout, StringComparison.Ordinal);
        Assert.Equal(Oracle.Apply(before, plan), Oracle.After(home.Home.Snapshot(), plan));
        Assert.StartsWith("alice\tmigrated\t", home.State, StringComparison.Ordinal);
    }

    [Fact]
    public void ResumeWithRollbackUndoesAnInterruptedMigration()
    {
        using var home = new CliHome();
        var before = home.Tree;
        home.InterruptedMigration(stepsDone: 3);
        CliRun run = home.Run("resume", "alice", "--rollback");
        Assert.Equal(0, run.ExitCode);
        Assert.EndsWith("alice: legacy (8 of 8 step(s) done)\n", run.Stdout, StringComparison.Ordinal);
        Assert.Equal(before, home.Tree);
        Assert.StartsWith("alice\tlegacy\t", home.State, StringComparison.Ordinal);
        Assert.False(File.Exists(Journal.PathFor(home.Home.Config.Migration.JournalDirectory, "alice")));
    }

    [Fact]
    public void RollbackUndoesACompletedMigration()
    {
        using var home = new CliHome();
        var before = home.Tree;
        Assert.Equal(0, home.Run("migrate", "alice", "--yes").ExitCode);
        Assert.NotEqual(before, home.Tree);
        CliRun run = home.Run("rollback", "alice");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("alice: [8/8] undo mkdir IMAP\n", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("alice: [3/8] move back IMAP/mail/Sent -> mail/Sent\n", run.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("alice: legacy (8 of 8 step(s) done)\n", run.Stdout, StringComparison.Ordinal);
        Assert.Equal(before, home.Tree);
        Assert.StartsWith("alice\tlegacy\t", home.State, StringComparison.Ordinal);
    }

    [Fact]
    public void ResumeWithNothingToResumeExits1()
    {
        using var home = new CliHome();
        CliRun run = home.Run("resume", "alice");
        Assert.Equal(1, run.ExitCode);
        run.AssertOneErrorLine("alice: no journal in");
        Assert.Equal("alice\tlegacy\n", home.State);
    }

    // Issue 20: every command that changes state takes --yes, rollback too (it used to refuse it).
    [Fact]
    public void RollbackTakesYesAndNoOtherOptionsButTheGlobalOnes()
    {
        using var scenario = new CliScenario("");
        CliRun other = scenario.Run("rollback", "root", "--dry-run");
        Assert.Equal(2, other.ExitCode);
        other.AssertOneErrorLine("rollback: unknown option --dry-run");
        CliRun yes = scenario.Run("rollback", "root", "--yes");
        Assert.NotEqual(2, yes.ExitCode);
        Assert.DoesNotContain("unknown option", yes.Stderr, StringComparison.Ordinal);
    }
}
