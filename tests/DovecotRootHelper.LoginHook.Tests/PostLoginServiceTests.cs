using System.Text;

namespace DovecotRootHelper.LoginHook.Tests;

/// <summary>The hook as Dovecot's post-login service, driven through the master's descriptors and script-login's protocol.</summary>
public class PostLoginServiceTests
{
    private const string States = "alice legacy\nbob migrated\ncarol migrating\n";

    [Fact]
    public void OneProcessServesLoginAfterLoginAndTellsTheMasterWhenItIsBusy()
    {
        using var scenario = new HookScenario(States);
        using var master = new FakeMaster(scenario);
        Assert.Equal((master.Pid, FakeMaster.Generation, 1u), master.NextStatus());

        FakeMaster.Answer bob = master.Login("bob");
        Assert.Equal($"bob\thome={scenario.Home}\tuid=1001\tgid=1001\tmail=mbox:{scenario.Home}/IMAP:INBOX=/var/mail/bob\n", bob.Reply);
        Assert.True(bob.SentClientSocket);
        Assert.Equal("", bob.ClientSaw);
        Assert.Equal(0u, master.NextStatus().Available);
        Assert.Equal(1u, master.NextStatus().Available);

        FakeMaster.Answer carol = master.Login("carol");
        Assert.Null(carol.Reply);
        Assert.Equal("* BYE [UNAVAILABLE] Your mailbox is being moved; please try again in a few minutes.\r\n", carol.ClientSaw);
        Assert.Equal(0u, master.NextStatus().Available);
        Assert.Equal(1u, master.NextStatus().Available);

        FakeMaster.Answer alice = master.Login("alice");
        Assert.Contains($"\tmail=mbox:{scenario.Home}:INBOX=/var/mail/alice\n", alice.Reply, StringComparison.Ordinal);
        Assert.Null(master.WaitForExit(0));
        Assert.Contains("login refused for carol: state migrating", master.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void EachLoginReadsTheStateFileAfresh()
    {
        using var scenario = new HookScenario(States);
        using var master = new FakeMaster(scenario);
        Assert.Contains("/IMAP:", master.Login("bob").Reply, StringComparison.Ordinal);
        File.WriteAllText(scenario.StatePath, "alice legacy\nbob legacy\ncarol migrating\n");
        Assert.DoesNotContain("/IMAP:", master.Login("bob").Reply, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnreadableRequestIsLoggedAndTheNextLoginIsServed()
    {
        using var scenario = new HookScenario(States);
        using var master = new FakeMaster(scenario);
        FakeMaster.Answer junk = master.Send(Encoding.ASCII.GetBytes("GET / HTTP/1.0\n\n"), withClient: true);
        Assert.Null(junk.Reply);
        Assert.Equal("", junk.ClientSaw);
        Assert.True(master.Login("bob").SentClientSocket);
        string line = Assert.Single(master.Stderr.TrimEnd('\n').Split('\n'));
        Assert.Contains("post-login service: not a script-login protocol 1 request", line, StringComparison.Ordinal);
    }

    [Fact]
    public void ARequestWithoutTheClientsSocketIsRefused()
    {
        using var scenario = new HookScenario(States);
        using var master = new FakeMaster(scenario);
        FakeMaster.Answer answer = master.Send(Encoding.ASCII.GetBytes($"VERSION\tscript-login\t1\t0\n\t\tbob\thome={scenario.Home}\n"), withClient: false);
        Assert.Null(answer.Reply);
        Assert.Contains("came without the client's socket", master.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void ItLeavesWhenTheMasterGoes()
    {
        using var scenario = new HookScenario(States);
        using var master = new FakeMaster(scenario);
        master.NextStatus();
        master.CloseDeadPipe();
        Assert.Equal(0, master.WaitForExit());
    }

    [Theory]
    [InlineData(2)]  // SIGINT: the master's idle_kill
    [InlineData(15)] // SIGTERM: shutdown
    public void ASignalWhenIdleEndsItAtOnceWithStatusZero(int signal)
    {
        using var scenario = new HookScenario(States);
        using var master = new FakeMaster(scenario);
        master.NextStatus();
        NativeIpc.Kill(master.Pid, signal);
        Assert.Equal(0, master.WaitForExit());
    }

    [Fact]
    public void AnIdleKillEndsItEvenWhenItWasStartedWithSigintIgnored()
    {
        using var scenario = new HookScenario(States);
        using var master = new FakeMaster(scenario, sigintIgnored: true);
        master.NextStatus();
        NativeIpc.Kill(master.Pid, 2);
        Assert.Equal(0, master.WaitForExit());
    }

    [Fact]
    public void ALoginWhoseConfigNamesAnotherGenerationThanTheMastersIsRefused()
    {
        using var scenario = new HookScenario(States, version: "2.4");
        using var master = new FakeMaster(scenario);
        FakeMaster.Answer bob = master.Login("bob");
        Assert.Null(bob.Reply);
        Assert.Equal("* BYE [UNAVAILABLE] Mail service is temporarily unavailable; please try again later.\r\n", bob.ClientSaw);
        Assert.Contains("[dovecot] version = 2.4, but the master is Dovecot 2.3.19", master.Stderr, StringComparison.Ordinal);
        Assert.Null(master.WaitForExit(0));
    }

    [Fact]
    public void ServiceCountLimitsTheLoginsOneProcessServes()
    {
        using var scenario = new HookScenario(States);
        using var master = new FakeMaster(scenario, serviceCount: "2");
        master.Login("bob");
        Assert.Null(master.WaitForExit(0));
        master.Login("alice");
        Assert.Equal(0, master.WaitForExit());
    }
}
