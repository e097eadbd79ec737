using System.Text.Json;

namespace DovecotRootHelper.Cli.Tests;

/// <summary>plan lists the mail filters that name what moves; migrate refuses until --filter-references says how.</summary>
public class PlanShowsMailFilterReferences
{
    private static CliHome Home()
    {
        var home = new CliHome();
        home.Home.File(".procmailrc", ":0:\n$HOME/mail/Sent\n");
        return home;
    }

    [Fact]
    public void PlanShowsTheReferenceAndExits1()
    {
        using CliHome home = Home();
        CliRun run = home.Run("plan", "alice");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("""
            mail filters naming what moves (1):
              .procmailrc:2: $HOME/mail/Sent -> mail/Sent moves to IMAP/mail/Sent: unresolved
            conflicts (1):
              .procmailrc:2: $HOME/mail/Sent names mail/Sent, which moves to IMAP/mail/Sent; the filter would keep delivering there: edit the filter, or use --filter-references=symlink or --filter-references=confirmed

            """, run.Stdout, StringComparison.Ordinal);
        run.AssertOneErrorLine("alice: the plan has 1 conflict(s)");

        using JsonDocument json = JsonDocument.Parse(home.Run("plan", "alice", "--json").Stdout);
        JsonElement reference = Assert.Single(json.RootElement.GetProperty("filterReferences").EnumerateArray().ToList());
        Assert.Equal(".procmailrc", reference.GetProperty("file").GetString());
        Assert.Equal(2, reference.GetProperty("line").GetInt32());
        Assert.Equal("unresolved", reference.GetProperty("resolution").GetString());
    }

    [Fact]
    public void MigrateRefusesInOneLineAndTouchesNothing()
    {
        using CliHome home = Home();
        var before = home.Tree;
        CliRun run = home.Run("migrate", "alice", "--yes");
        Assert.Equal(1, run.ExitCode);
        run.AssertOneErrorLine("alice: .procmailrc:2: $HOME/mail/Sent names mail/Sent");
        Assert.Equal(before, home.Tree);
        Assert.Equal("alice\tlegacy\n", home.State);
    }

    [Fact]
    public void SymlinkHandlingMigratesAndShowsTheLinkStep()
    {
        using CliHome home = Home();
        CliRun plan = home.Run("plan", "alice", "--filter-references", "symlink");
        Assert.Equal(0, plan.ExitCode);
        Assert.Contains("symlink mail/Sent -> ../IMAP/mail/Sent (for a mail filter)", plan.Stdout, StringComparison.Ordinal);
        Assert.Contains(".procmailrc:2: $HOME/mail/Sent -> mail/Sent moves to IMAP/mail/Sent: symlink left at the old path", plan.Stdout, StringComparison.Ordinal);

        CliRun run = home.Run("migrate", "alice", "--yes", "--filter-references=symlink");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("../IMAP/mail/Sent", new FileInfo(home.Home.PathOf("mail/Sent")).LinkTarget);
    }

    [Fact]
    public void ResumeOfAUserLeftMigratingBeforeTheJournalTakesTheHandlingToo()
    {
        using CliHome home = Home();
        home.Home.SetState(TestHome.User + "\tmigrating");
        CliRun refused = home.Run("resume", "alice");
        Assert.Equal(1, refused.ExitCode);
        refused.AssertOneErrorLine(".procmailrc:2");
        CliRun run = home.Run("resume", "alice", "--filter-references", "confirmed");
        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("alice\tmigrated", home.State, StringComparison.Ordinal);
    }

    [Fact]
    public void InABatchOnlyThatUserIsLeftAsTheyWere()
    {
        using CliHome home = Home();
        home.AddAccount("bob", 23002);
        var before = home.Tree;
        CliRun run = home.Run("migrate", "alice", "bob", "--yes");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("alice: .procmailrc:2: $HOME/mail/Sent names mail/Sent", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, home.Tree);
        Assert.Contains("alice\tlegacy\n", home.State, StringComparison.Ordinal);
        Assert.Contains("bob\tmigrated", home.State, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownHandlingIsAUsageError()
    {
        using CliHome home = Home();
        CliRun run = home.Run("plan", "alice", "--filter-references", "ignore");
        Assert.Equal(2, run.ExitCode);
        run.AssertOneErrorLine("--filter-references ignore: expected refuse, symlink or confirmed");
    }
}
