using DovecotRootHelper.Usage.Store;

namespace DovecotRootHelper.Usage.Tests;

/// <summary>
/// running_usecs is summed in three places (a scan's sums in memory, the database's upsert, the
/// per-user total of <see cref="UsageStore.Lists"/>): each stops at the largest 64-bit value instead
/// of wrapping to a negative time, becoming a floating-point value, or failing the query.
/// </summary>
public sealed class ListTimeSumsSaturate
{
    private const long Huge = long.MaxValue - 10;

    [Fact]
    public void TwoHugeListsInOneScanSumToTheLargestValue()
    {
        using var scenario = new ScanScenario();
        // One commit for the whole file: the two are summed in memory.
        scenario.Scan(null, long.MaxValue, int.MaxValue, scenario.Append("dovecot.log", [FullList("bob", Huge), FullList("bob", Huge)]));
        Assert.Equal((long.MaxValue, Huge), Listed("bob", scenario));
    }

    [Fact]
    public void AHugeListAddedToAStoredOneSumsToTheLargestValue()
    {
        using var scenario = new ScanScenario();
        string log = scenario.Append("dovecot.log", [FullList("bob", Huge)]);
        scenario.Scan(log);
        scenario.Append("dovecot.log", [FullList("bob", 11), FullList("bob", Huge)]);
        scenario.Scan(log);
        Assert.Equal((long.MaxValue, Huge), Listed("bob", scenario));
        Assert.Contains($"list_use: bob | * | LIST | 1 | 3 | {long.MaxValue} | {Huge} | ", string.Join('\n', scenario.Rows()), StringComparison.Ordinal);
    }

    [Fact]
    public void HugeListsUnderTwoPatternsTotalTheLargestValue()
    {
        using var scenario = new ScanScenario();
        scenario.Scan(scenario.Append("dovecot.log", [FullList("bob", Huge), FullList("bob", Huge, "\"\" \"**\""), FullList("carol", 5)]));
        Assert.Equal((long.MaxValue, Huge), Listed("bob", scenario));
        Assert.Equal((5L, 5L), Listed("carol", scenario));
    }

    [Fact]
    public void SumsJustBelowTheBoundaryAreExact()
    {
        using var scenario = new ScanScenario();
        scenario.Scan(scenario.Append("dovecot.log", [FullList("bob", long.MaxValue - 1), FullList("bob", 1, "\"\" \"**\"")]));
        Assert.Equal((long.MaxValue, long.MaxValue - 1), Listed("bob", scenario));
    }

    [Fact]
    public void SumsPastAFloatsPrecisionAreExact()
    {
        using var scenario = new ScanScenario();
        const long Past = (1L << 53) + 1;
        scenario.Scan(scenario.Append("dovecot.log", [FullList("bob", Past), FullList("bob", Past, "\"\" \"**\"")]));
        Assert.Equal(((1L << 54) + 2, Past), Listed("bob", scenario));
    }

    private static string FullList(string user, long usecs, string arguments = "\"\" \"*\"") => Lines.Exported(user, "LIST", arguments, usecs);

    private static (long Usecs, long MaxUsecs) Listed(string user, ScanScenario scenario)
    {
        using UsageStore store = UsageStore.Open(scenario.Database);
        ListUsage lists = Assert.Single(store.Lists(0), l => l.User == user);
        return (lists.FullTreeUsecs, lists.MaxFullTreeUsecs);
    }
}
