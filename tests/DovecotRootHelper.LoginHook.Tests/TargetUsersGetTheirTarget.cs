namespace DovecotRootHelper.LoginHook.Tests;

/// <summary>A user whose state names a target location of [locations] logs in there; a target the config does not name refuses that login for now.</summary>
public class TargetUsersGetTheirTarget
{
    private const string Targets = "maildir = maildir:~/Maildir:LAYOUT=fs\nmdbox = mdbox:~/mdbox";
    private const string ImapUnavailable = "* BYE [UNAVAILABLE] ";

    [Fact]
    public void AUserAtTheMaildirTargetIsHandedTheMaildir()
    {
        using var scenario = new HookScenario("alice maildir\n", targets: Targets);
        ExecRecord exec = scenario.Login().Exec!;
        Assert.Equal($"maildir:{scenario.Home}/Maildir:LAYOUT=fs", exec.Environment["MAIL"]);
    }

    [Fact]
    public void On24TheTargetsDriverAndPathAreHandedOver()
    {
        using var scenario = new HookScenario("alice mdbox\n", version: "2.4", targets: Targets);
        ExecRecord exec = scenario.Login().Exec!;
        Assert.Equal("mdbox", exec.Environment["MAIL_DRIVER"]);
        Assert.Equal(scenario.Home + "/mdbox", exec.Environment["MAIL_PATH"]);
    }

    [Fact]
    public void AStateNamingNoTargetOfTheConfigRefusesTheLoginAndSaysWhatIsExpected()
    {
        using var scenario = new HookScenario("alice sdbox\n", targets: Targets);
        (HookRun run, ExecRecord? exec) = scenario.Login();
        Assert.Null(exec);
        Assert.StartsWith(ImapUnavailable, run.Stdout, StringComparison.Ordinal);
        Assert.Contains($"{scenario.StatePath}:1: unknown state 'sdbox' for user 'alice' (expected legacy, migrated, migrating or a target of [locations]: maildir, mdbox)", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void OtherUsersOfTheFileLogInWhateverTheirNeighbourSays()
    {
        using var scenario = new HookScenario("bob sdbox\nalice maildir\n", targets: Targets);
        Assert.NotNull(scenario.Login().Exec);
    }
}
