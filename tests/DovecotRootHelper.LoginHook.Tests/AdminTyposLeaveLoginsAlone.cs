namespace DovecotRootHelper.LoginHook.Tests;

/// <summary>
/// Issue 19, item 3: a bad value in a section only imaproot reads made the published hook refuse
/// every login on the server. The hook reads and validates only its own sections; a line that is
/// no setting at all still refuses (it may hide where the hook's own sections begin: ARCHITECTURE.md).
/// </summary>
public class AdminTyposLeaveLoginsAlone
{
    private const string Root = CheckpasswordScenario.Account;

    public static TheoryData<string> AdminTypos =>
    [
        "[usage]\nwindow-days = 0\n",
        "[usage]\nnamespace-prefix = INBOX\n",
        "[notices]\nbefore = notices/before.txt\n",
        "[migration]\nkick-timeout = -5\n",
        "[migration]\nkick-timeout = 5\nkick-timeout = 10\nsurprise = 1\n",
        "[migration]\ndoveadm-servers = imap1 imap2:0\nkick = doveadm kick %u\n",
    ];

    private static HookScenario WithTypo(string state, string typo)
    {
        var scenario = new HookScenario(state);
        File.AppendAllText(scenario.ConfigPath, "\n" + typo);
        return scenario;
    }

    [Theory]
    [MemberData(nameof(AdminTypos))]
    public void APostLoginLoginIsServed(string typo)
    {
        using HookScenario scenario = WithTypo("alice migrated\n", typo);
        (HookRun run, ExecRecord? exec) = scenario.Login();
        Assert.True(exec is not null, $"refused: {run.Stdout} {run.Stderr}");
        Assert.Equal($"mbox:{scenario.Home}/IMAP:INBOX=/var/mail/alice", exec.Environment["MAIL"]);
        Assert.Equal(("", ""), (run.Stdout, run.Stderr));
    }

    [Theory]
    [MemberData(nameof(AdminTypos))]
    public void ACheckpasswordLookupIsAnswered(string typo)
    {
        using HookScenario scenario = WithTypo($"{Root} migrated\n", typo);
        (HookRun run, ExecRecord? exec) = CheckpasswordScenario.Lookup(scenario, CheckpasswordScenario.Request(Root));
        Assert.True(exec is not null, $"refused: {run.Stderr}");
        Assert.Equal("mbox:/root/IMAP:INBOX=/var/mail/root", exec.Environment["userdb_mail"]);
    }

    [Theory]
    [InlineData("[usage]\nwindow-days: 30\n", "not a [section], a comment or a 'key = value' line")]
    [InlineData("[state]\ndefualt = migrated\n", "unknown setting [state] defualt")]
    public void ABrokenLineOrATypoInTheHooksOwnSectionsStillRefuses(string typo, string reason)
    {
        using HookScenario scenario = WithTypo("alice migrated\n", typo);
        (HookRun run, ExecRecord? exec) = scenario.Login();
        Assert.Null(exec);
        Assert.StartsWith("* BYE [UNAVAILABLE]", run.Stdout, StringComparison.Ordinal);
        Assert.Contains($"{scenario.ConfigPath}:", run.Stderr, StringComparison.Ordinal);
        Assert.Contains(reason, run.Stderr, StringComparison.Ordinal);
    }
}
