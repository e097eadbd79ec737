namespace DovecotRootHelper.Cli.Tests;

/// <summary>A migration of 100,000 steps must neither flood a log nor spend its time redrawing a terminal.</summary>
public sealed class ProgressOfLargeMigrationsIsBounded
{
    [Fact]
    public void ALogGetsTheFirstTheLastAndOneStepInAHundred()
    {
        var output = new StringWriter();
        var display = new ProgressDisplay(output, terminal: false);
        for (int i = 0; i < 100_000; i++)
            display.StepStarted("alice", i, 100_000, $"box{i} -> IMAP/box{i}");
        string[] lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("alice: [1/100000] box0 -> IMAP/box0", lines[0]);
        Assert.Equal("alice: [100000/100000] box99999 -> IMAP/box99999", lines[^1]);
        Assert.Equal(101, lines.Length);
        Assert.Contains("alice: [50001/100000] box50000 -> IMAP/box50000", lines);
    }

    [Fact]
    public void ATerminalIsRedrawnAtMostTenTimesASecond()
    {
        var output = new StringWriter();
        var display = new ProgressDisplay(output, terminal: true);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < 100_000; i++)
            display.StepStarted("alice", i, 100_000, "step");
        double seconds = clock.Elapsed.TotalSeconds;
        int draws = output.ToString().Split('\r').Length - 1;
        Assert.InRange(draws, 2, 3 + (int)(seconds * 10) + 1);
        Assert.EndsWith("alice: [100000/100000] step", output.ToString());
    }

    [Fact]
    public void SmallMigrationsShowEveryStep()
    {
        var output = new StringWriter();
        var display = new ProgressDisplay(output, terminal: false);
        for (int i = 0; i < 1000; i++)
            display.StepStarted("alice", i, 1000, "step");
        Assert.Equal(1000, output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }
}
