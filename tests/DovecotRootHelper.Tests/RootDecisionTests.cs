using System.Text;
using DovecotRootHelper.Configuration;
using DovecotRootHelper.Decision;
using DovecotRootHelper.Locations;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Tests;

public class RootDecisionTests
{
    private static HelperConfig Config(string state = "", string legacy = "legacy = mbox:~:INBOX=/var/mail/%u\n") =>
        HelperConfig.Parse(Encoding.UTF8.GetBytes("[locations]\n" + legacy + "[state]\nfile = /s\n" + state), "/c");

    private static StateEntry Entry(UserState state) => new("alice", state, 7, "");

    private static UserState State(string name) => UserStateNames.TryParse(name, out UserState state) ? state : throw new ArgumentException(name);

    [Theory]
    [InlineData("legacy", "/home/alice")]
    [InlineData("migrated", "/home/alice/IMAP")]
    public void AListedUserGetsTheListedStatesRoot(string stateName, string root)
    {
        UserState state = State(stateName);
        RootDecision decision = RootDecision.Decide(Config("migrated-from-uid = 1000\n"), "alice", "/home/alice", "5000", Entry(state));
        Assert.Equal(state, decision.State);
        Assert.Equal(root, decision.Location?.Path);
        Assert.Equal("listed in /s line 7", decision.Why);
    }

    [Fact]
    public void ALegacyUserGetsNoLocationWhenLegacyIsUnset()
    {
        RootDecision decision = RootDecision.Decide(Config(legacy: ""), "alice", "/home/alice", "1000", Entry(UserState.Legacy));
        Assert.Equal(UserState.Legacy, decision.State);
        Assert.False(decision.RefusesLogin);
        Assert.Null(decision.Location);
    }

    [Fact]
    public void AMigratingUserIsRefusedWithNoLocation()
    {
        RootDecision decision = RootDecision.Decide(Config(), "alice", "/home/alice", "1000", Entry(UserState.Migrating));
        Assert.True(decision.RefusesLogin);
        Assert.Null(decision.Location);
    }

    [Theory]
    [InlineData("default = legacy\n", "legacy")]
    [InlineData("default = migrated\n", "migrated")]
    public void AnUnlistedUserGetsTheDefault(string setting, string expected) =>
        Assert.Equal(State(expected), RootDecision.Decide(Config(setting), "alice", "/home/alice", "1000", null).State);

    [Theory]
    [InlineData("999", "legacy")]
    [InlineData("1000", "migrated")]
    [InlineData("65000", "migrated")]
    public void AnUnlistedUserAtOrAboveMigratedFromUidStartsMigrated(string uid, string expected) =>
        Assert.Equal(State(expected), RootDecision.Decide(Config("migrated-from-uid = 1000\n"), "alice", "/home/alice", uid, null).State);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("12a")]
    public void AnUnlistedUserWithoutAUsableUidCannotBeDecidedUnderTheUidRule(string? uid) =>
        Assert.Throws<LocationException>(() => RootDecision.Decide(Config("migrated-from-uid = 1000\n"), "alice", "/home/alice", uid, null));

    [Fact]
    public void TheUidRuleDoesNotOverrideAListedLegacyUser() =>
        Assert.Equal(UserState.Legacy, RootDecision.Decide(Config("migrated-from-uid = 0\n"), "alice", "/home/alice", "5000", Entry(UserState.Legacy)).State);
}
