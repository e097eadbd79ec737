namespace DovecotRootHelper.LoginHook.Tests;

/// <summary>
/// State file lines a careless editor or a hostile one leaves behind (issue 10, defects 5 and 7):
/// the hook refuses the login with one line naming file and line, as the admin tools refuse the
/// file; it never hands out the default root nor crashes.
/// </summary>
public class HostileStateLinesTests
{
    private const string ImapUnavailable = "* BYE [UNAVAILABLE] ";

    [Theory]
    [InlineData("\uFEFF", "U+FEFF")]
    [InlineData("\u200B", "U+200B")]
    [InlineData("\u00A0", "U+00A0")]
    public void AnInvisibleCharacterBeforeTheNameRefusesTheLogin(string invisible, string named)
    {
        using var scenario = new HookScenario($"{invisible}alice migrated\nbob legacy\n");
        (HookRun run, ExecRecord? exec) = scenario.Login();
        Assert.Null(exec);
        Assert.StartsWith(ImapUnavailable, run.Stdout, StringComparison.Ordinal);
        Assert.Contains($"{scenario.StatePath}:1: '{invisible}alice' cannot be a user name", run.Stderr, StringComparison.Ordinal);
        Assert.Contains(named, run.Stderr, StringComparison.Ordinal);
        Assert.Single(run.Stderr.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void AnotherUserWhoseNameEndsTheSameIsNotRefused()
    {
        using var scenario = new HookScenario("malice migrated\n");
        (HookRun run, ExecRecord? exec) = scenario.Login();
        Assert.NotNull(exec);
        Assert.Equal("", run.Stderr);
    }

    [Fact]
    public void AMegabyteNoteOnTheUsersLineIsRefusedNotACrash()
    {
        using var scenario = new HookScenario("alice migrated " + new string('x', 5 * 1024 * 1024) + "\n");
        (HookRun run, ExecRecord? exec) = scenario.Login();
        Assert.Null(exec);
        Assert.StartsWith(ImapUnavailable, run.Stdout, StringComparison.Ordinal);
        Assert.Contains($"{scenario.StatePath}:1: line is longer than 65536 bytes", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, run.ExitCode);
    }
}

/// <summary>A config the hook cannot use (issue 10, defects 7 and 13): the login is refused in one line, never a crash.</summary>
public class HostileConfigTests
{
    [Fact]
    public void AConfigOfEightMegabytesIsRefusedNotACrash()
    {
        using var scenario = new HookScenario("alice migrated\n");
        File.AppendAllText(scenario.ConfigPath, "# " + new string('x', 8 * 1024 * 1024 + 100 * 1024) + "\n");
        (HookRun run, ExecRecord? exec) = scenario.Login();
        Assert.Null(exec);
        Assert.StartsWith("* BYE [UNAVAILABLE] ", run.Stdout, StringComparison.Ordinal);
        Assert.Contains($"{scenario.ConfigPath}: ", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("bytes, more than it can be (262144)", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, run.ExitCode);
    }

    [Fact]
    public void ASettingGivenTwiceIsNamedInWordsWithItsLine()
    {
        using var scenario = new HookScenario("alice migrated\n", extraState: "file = /elsewhere/state");
        (HookRun run, ExecRecord? exec) = scenario.Login();
        Assert.Null(exec);
        Assert.Contains($"{scenario.ConfigPath}:9: [state] file is set again (first at line 8)", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Error_", run.Stderr, StringComparison.Ordinal);
    }
}

/// <summary>Issue 10, defect 11, end to end: a home of "//" used to give the user the root's /IMAP.</summary>
public class HomeThatIsNoHomeTests
{
    [Fact]
    public void AHomeOfSlashesRefusesTheLogin()
    {
        using var scenario = new HookScenario("alice migrated\n");
        Dictionary<string, string> env = scenario.LoginEnvironment();
        env["HOME"] = "//";
        (HookRun run, ExecRecord? exec) = scenario.Login(env);
        Assert.Null(exec);
        Assert.StartsWith("* BYE [UNAVAILABLE] ", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("home '//' is the root directory", run.Stderr, StringComparison.Ordinal);
    }
}
