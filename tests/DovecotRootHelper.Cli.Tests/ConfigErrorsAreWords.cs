namespace DovecotRootHelper.Cli.Tests;

/// <summary>Issue 10, defect 13: the published imaproot names a bad config line in words, not by a resource key.</summary>
public class ConfigErrorsAreWords
{
    [Theory]
    [InlineData("[state]\nfile = /tmp/x/state\ngarbage line here\n", ":3: not a [section], a comment or a 'key = value' line: 'garbage line here'")]
    [InlineData("[state]\nfile = /tmp/x/state\nfile = /tmp/y/state\n", ":3: [state] file is set again (first at line 2)")]
    public void ABadConfigLineIsOneLineInWords(string ini, string expected)
    {
        using var dir = new TempDirectory();
        string config = dir.Write("imaproot.conf", ini);
        CliRun run = PublishedImaproot.Run("--config", config, "list");
        run.AssertOneErrorLine(config + expected);
        Assert.DoesNotContain("Error_", run.Stderr, StringComparison.Ordinal);
        Assert.NotEqual(0, run.ExitCode);
    }
}
