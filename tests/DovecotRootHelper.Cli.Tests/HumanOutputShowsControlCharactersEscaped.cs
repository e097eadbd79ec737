using System.Text.Json;

namespace DovecotRootHelper.Cli.Tests;

/// <summary>
/// Names users chose reach the admin's terminal: a control character in one (raw, or decoded from
/// modified UTF-7: `&amp;ABs-` is ESC, `&amp;AAo-` a newline) is shown escaped in every human output,
/// never sent to the terminal, and never starts a line of its own. JSON keeps the name, JSON-escaped.
/// </summary>
public class HumanOutputShowsControlCharactersEscaped
{
    private const string Forged = "x&AAo-alice: can migrate (0 step(s))";

    [Fact]
    public void PlanEscapesThem()
    {
        using var home = new CliHome();
        home.Home.Subscribe("Archive", "mail/Sent", "Evil\u001b[2J", "a&ABs-b", Forged);
        CliRun run = home.Run("plan", "alice");

        Assert.Equal(0, run.ExitCode);
        AssertVisible(run.Stdout);
        Assert.Contains("Evil\\x1b[2J", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("(a\\x1bb)", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("(x\\x0aalice: can migrate (0 step(s)))", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("\nalice: can migrate (0", run.Stdout, StringComparison.Ordinal);

        CliRun json = home.Run("plan", "alice", "--json");
        Assert.DoesNotContain('\u001b', json.Stdout);
        List<(string, string)> names = [.. JsonDocument.Parse(json.Stdout).RootElement.GetProperty("mailboxes").EnumerateArray()
            .Select(m => (m.GetProperty("name").GetString()!, m.GetProperty("displayName").GetString()!))];
        Assert.Contains(("Evil\u001b[2J", "Evil\u001b[2J"), names);
        Assert.Contains(("a&ABs-b", "a\u001bb"), names);
        Assert.Contains((Forged, "x\nalice: can migrate (0 step(s))"), names);
    }

    [Fact]
    public void UsageShowAndCandidatesEscapeThem()
    {
        using var home = new CliHome();
        UsageLog.Scan(home, [
            UsageLog.Exported("alice", "SELECT", "a&ABs-b"),
            UsageLog.Exported("alice", "SELECT", Forged),
            UsageLog.Exported("alice", "LIST", "\"\" \"*\""),
            UsageLog.Exported("mallory\u001b[2J", "LIST", "\"\" \"*\""),
        ]);

        CliRun show = home.Run("usage", "show", "alice");
        Assert.Equal(0, show.ExitCode);
        AssertVisible(show.Stdout);
        Assert.Contains(" a\\x1bb ", show.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("\nalice: can migrate", show.Stdout, StringComparison.Ordinal);

        CliRun json = home.Run("usage", "show", "alice", "--json");
        Assert.Contains("a\u001bb", JsonDocument.Parse(json.Stdout).RootElement.GetProperty("mailboxes").EnumerateArray().Select(m => m.GetProperty("displayName").GetString()));

        CliRun candidates = home.Run("candidates");
        Assert.Equal(0, candidates.ExitCode);
        AssertVisible(candidates.Stdout);
        Assert.Contains("mallory\\x1b[2J", candidates.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void MigrateProgressAndSummaryEscapeThem(bool terminal)
    {
        using var home = new CliHome();
        home.Home.Mbox("Evil\u001b[2J");
        home.Home.Subscribe("Archive", "mail/Sent", "Evil\u001b[2J");
        CliRun run = home.Run(["migrate", "alice", "--yes"], stdin: "", terminal: terminal);

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("Evil\\x1b[2J -> IMAP/Evil\\x1b[2J", run.Stdout, StringComparison.Ordinal);
        // On a terminal the redraw's own "\r ESC [K" is all that is left of ESC.
        Assert.DoesNotContain("\u001b[2J", run.Stdout, StringComparison.Ordinal);
        Assert.Equal(terminal ? run.Stdout.Split("\r\u001b[K").Length - 1 : 0, run.Stdout.Count(c => c == '\u001b'));
        Assert.True(File.Exists(home.Home.PathOf("IMAP/Evil\u001b[2J")));
    }

    [Fact]
    public void ABatchReportEscapesThem()
    {
        using var home = new CliHome();
        home.AddAccount("bob", 23002);
        home.Home.Mbox("Evil\u001b[2J");
        home.Home.Mbox("IMAP/Evil\u001b[2J"); // already there: alice's plan has a conflict naming it
        home.Home.Subscribe("Archive", "mail/Sent", "Evil\u001b[2J");
        CliRun run = home.Run("migrate", "alice", "bob", "--yes");

        Assert.Equal(1, run.ExitCode);
        AssertVisible(run.Stdout);
        AssertVisible(run.Stderr);
        Assert.Contains("alice: failed: ", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("Evil\\x1b[2J", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("Evil\\x1b[2J", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void TheRuleEscapesEveryControlAndNothingElse()
    {
        Assert.Equal("a\\x00\\x09\\x0a\\x0d\\x1b\\x7f\\x9b\\u2028\\u202eb", Migration.PrintableText.Escape("a\0\t\n\r\u001b\u007f\u009b\u2028\u202eb"));
        const string Plain = "Entwürfe/Projekte 2024 \\ \"x\" ✓";
        Assert.Same(Plain, Migration.PrintableText.Escape(Plain));
    }

    private static void AssertVisible(string output)
    {
        foreach (char c in output)
            Assert.True(c == '\n' || !char.IsControl(c), $"U+{(int)c:X4} reached the terminal:\n{output}");
    }
}
