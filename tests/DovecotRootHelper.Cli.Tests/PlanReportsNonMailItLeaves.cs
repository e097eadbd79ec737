namespace DovecotRootHelper.Cli.Tests;

/// <summary>
/// A client subscribed to dot-files and plain files over the $HOME root: imaproot plan lists them
/// as left, each with its reason, and moves only the mailboxes; migrate leaves them byte for byte
/// where they were.
/// </summary>
public class PlanReportsNonMailItLeaves
{
    private const string Reasons = """
        left in place (5):
          .bashrc: a dot-entry at the home's top level: never moved
          .forward: a dot-entry at the home's top level: never moved
          .profile: a dot-entry at the home's top level: never moved
          Documents: subscribed but a directory holding no mailbox that moves: not moved
          notes.txt: subscribed but not an mbox (neither empty nor starting with "From "): not moved

        """;

    [Fact]
    public void PlanListsEachNameLeftWithItsReason()
    {
        using var home = new CliHome();
        home.Home.File(".profile", "umask 022\n");
        home.Home.File(".forward", "alice@example.org\n");
        home.Home.File("notes.txt", "call bob\n");
        home.Home.File("Documents/report.odt", "PK");
        home.Home.Subscribe("Archive", "mail/Sent", ".bashrc", ".profile", ".forward", "notes.txt", "Documents", "mail");
        CliRun run = home.Run("plan", "alice");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("""
            mailboxes (8):
              .bashrc    [subscribed]  left
              .forward   [subscribed]  left
              .profile   [subscribed]  left
              Archive    [subscribed,indexed]  moves
              Documents  [subscribed]  left
              mail       [subscribed]  folder
              mail/Sent  [subscribed,indexed]  moves
              notes.txt  [subscribed]  left
            """, run.Stdout, StringComparison.Ordinal);
        Assert.Contains(Reasons, run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("move .bashrc", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("move notes.txt", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void PublishedImaprootPlansAndMigratesOnlyTheMailboxes()
    {
        // Its own account: test classes run in parallel, and another class's scenario would move this one's home.
        using var scenario = new RealUserScenario("drhmig-cli-nonmail", 22013);
        scenario.Add(".profile", "umask 022\n");
        scenario.Add(".forward", "alice@example.org\n");
        scenario.Add("notes.txt", "call bob\n");
        scenario.Add(".imap/notes.txt/dovecot.index.log", "index");
        scenario.Add("Lists", "From a@b Sat Jan  1 00:00:00 2000\nSubject: lists\n\nlists\n");
        scenario.Add("Drafts", "");
        scenario.Add("work/Projects", "From a@b Sat Jan  1 00:00:00 2000\nSubject: projects\n\nprojects\n");
        scenario.Add("work/.imap/Projects/dovecot.index.log", "index");
        scenario.Add(".subscriptions", "V\t2\n\nArchive\nmail\tSent\nEntw&APw-rfe\nwhole\ta\nwhole\tb\n.bashrc\n.profile\n.forward\nnotes.txt\nLists\nDrafts\nwork\nwork\tProjects\n");
        SortedDictionary<string, string> before = scenario.Snapshot();

        CliRun plan = scenario.Run("plan", scenario.User.Name);
        Assert.Equal(0, plan.ExitCode);
        Assert.Contains("""
              .bashrc: a dot-entry at the home's top level: never moved
              .forward: a dot-entry at the home's top level: never moved
              .profile: a dot-entry at the home's top level: never moved
              notes.txt: subscribed, indexed but not an mbox (neither empty nor starting with "From "): not moved

            """, plan.Stdout, StringComparison.Ordinal);
        List<(string Action, string PathOrFrom, string? To)> steps = scenario.PlannedSteps();
        string[] moved = [.. steps.Where(s => s.Action == "move").Select(s => s.PathOrFrom)];
        Assert.Equal([".imap", ".subscriptions", "Archive", "Drafts", "Entw&APw-rfe", "Lists", "mail/Sent", "mail/.imap/Sent", "whole", "work"], moved);

        CliRun migrate = scenario.Run("migrate", scenario.User.Name, "--yes");
        Assert.True(migrate.ExitCode == 0, migrate.Stderr);
        Assert.Equal("migrated", scenario.State);
        SortedDictionary<string, string> after = scenario.Snapshot();
        foreach (string kept in new[] { ".bashrc", ".profile", ".forward", "notes.txt" })
        {
            Assert.Equal(before[kept], after.GetValueOrDefault(kept));
            Assert.False(after.ContainsKey("IMAP/" + kept), kept + " was moved or copied");
        }
        foreach (string mailbox in new[] { "Lists", "Drafts", "work/Projects" })
            Assert.Equal(before[mailbox], after.GetValueOrDefault("IMAP/" + mailbox));
    }
}
