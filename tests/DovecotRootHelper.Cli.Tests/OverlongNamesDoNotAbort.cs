namespace DovecotRootHelper.Cli.Tests;

/// <summary>A mailbox name with a component longer than a file name can be (subscribed, or logged) is a note in plan and usage show, never an abort.</summary>
public class OverlongNamesDoNotAbort
{
    private static readonly string Overlong = "mail/" + new string('x', 300);

    [Fact]
    public void PlanAndUsageShowGoOn()
    {
        using var home = new CliHome();
        home.Home.Subscribe("Archive", "mail/Sent", Overlong);
        UsageLog.Scan(home, [UsageLog.Exported("alice", "SELECT", "Lists/" + new string('y', 256))]);

        CliRun plan = home.Run("plan", "alice");
        Assert.True(plan.ExitCode == 0, plan.Stderr);
        Assert.Contains("a component is longer than 255 bytes", plan.Stdout, StringComparison.Ordinal);
        Assert.Contains("alice: can migrate", plan.Stdout, StringComparison.Ordinal);

        CliRun show = home.Run("usage", "show", "alice");
        Assert.True(show.ExitCode == 0, show.Stderr);
        Assert.Contains("Lists/yyy", show.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("the files were not looked at", show.Stdout, StringComparison.Ordinal);
    }
}
