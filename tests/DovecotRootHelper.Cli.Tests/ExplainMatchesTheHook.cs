using System.Text.Json;

namespace DovecotRootHelper.Cli.Tests;

public class ExplainMatchesTheHook
{
    [Fact]
    public void AMigratedUserGetsMailAndUserdbKeysFor23()
    {
        using var scenario = new CliScenario("root migrated\n");
        CliRun run = scenario.Run("explain", "root");
        Assert.Equal(0, run.ExitCode);
        string[] lines = run.Stdout.TrimEnd('\n').Split('\n');
        Assert.StartsWith($"# root (uid 0, home /root): migrated (listed in {scenario.StatePath} line 1)", lines[0], StringComparison.Ordinal);
        Assert.Equal("MAIL=mbox:/root/IMAP:INBOX=/var/mail/root", lines[1]);
        Assert.Equal("USERDB_KEYS=<Dovecot's keys> MAIL", lines[2]);
    }

    [Fact]
    public void ThePostLoginSetupIsNamed()
    {
        using var scenario = new CliScenario("root migrated\n");
        CliRun run = scenario.Run("explain", "root");
        Assert.Equal(0, run.ExitCode);
        Assert.EndsWith("; Dovecot 2.3, the post-login hook for imap and pop3", run.Stdout.Split('\n')[0], StringComparison.Ordinal);
    }

    [Fact]
    public void TheAllServicesSetupIsNamedWithWhatItsUserdbAnswers()
    {
        using var userdbDirectory = new TempDirectory();
        string userdb = Path.Combine(userdbDirectory.Path, "userdb");
        using var scenario = new CliScenario("root migrated\n", extraState: $"userdb = {userdb}");
        // Dovecot as packaging/dovecot/dovecot-2.3-all-services.conf sets it up: no post-login hook.
        string dovecot = scenario.Write("all-services.conf", $$"""
            mail_location = mbox:~:INBOX=/var/mail/%u
            userdb {
              driver = passwd
              result_success = continue-ok
            }
            userdb {
              driver = passwd-file
              args = username_format=%u {{userdb}}
              skip = notfound
              result_failure = return-ok
            }

            """);
        string config = File.ReadAllText(scenario.ConfigPath);
        File.WriteAllText(scenario.ConfigPath, System.Text.RegularExpressions.Regex.Replace(config, "(?m)^doveconf = .*$", $"doveconf = doveconf -c {dovecot}"));

        CliRun run = scenario.Run("explain", "root");
        Assert.Equal(0, run.ExitCode);
        string[] lines = run.Stdout.TrimEnd('\n').Split('\n');
        Assert.EndsWith($"; Dovecot 2.3, the all-services userdb ({userdb}) for every service: Dovecot's userdb answers", lines[0], StringComparison.Ordinal);
        Assert.Equal(["mail=mbox:/root/IMAP:INBOX=/var/mail/root"], lines[1..]);
        Assert.DoesNotContain("post-login", run.Stdout, StringComparison.Ordinal);

        using JsonDocument json = JsonDocument.Parse(scenario.Run("explain", "root", "--json").Stdout);
        Assert.Equal("mbox:/root/IMAP:INBOX=/var/mail/root", json.RootElement.GetProperty("userdbFields").GetProperty("mail").GetString());
        Assert.StartsWith("the all-services userdb", json.RootElement.GetProperty("servedBy").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Dovecot24GetsTheSplitSettings()
    {
        using var scenario = new CliScenario("root legacy\n", version: "2.4");
        CliRun run = scenario.Run("explain", "root", "--json");
        Assert.Equal(0, run.ExitCode);
        using JsonDocument json = JsonDocument.Parse(run.Stdout);
        JsonElement variables = json.RootElement.GetProperty("variables");
        Assert.Equal("mbox", variables.GetProperty("MAIL_DRIVER").GetString());
        Assert.Equal("/root", variables.GetProperty("MAIL_PATH").GetString());
        Assert.Equal("/var/mail/root", variables.GetProperty("MAIL_INBOX_PATH").GetString());
        Assert.Equal("MAIL_DRIVER MAIL_PATH MAIL_INBOX_PATH MAIL_INDEX_PATH MAIL_INDEX_PRIVATE_PATH MAIL_CONTROL_PATH MAIL_VOLATILE_PATH MAIL_ALT_PATH MAILBOX_LIST_LAYOUT MAILBOX_SUBSCRIPTIONS_FILENAME MAILBOX_DIRECTORY_NAME MAILBOX_ROOT_DIRECTORY_NAME MAILBOX_LIST_UTF8".Split(' '),
            json.RootElement.GetProperty("userdbKeysAdded").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("2.4", json.RootElement.GetProperty("dovecotVersion").GetString());
    }

    [Fact]
    public void AnUnlistedUserFollowsTheUidRule()
    {
        using var scenario = new CliScenario("", extraState: "migrated-from-uid = 1000");
        CliRun nobody = scenario.Run("explain", "nobody");
        Assert.Contains("migrated (not listed; uid 65534 >= migrated-from-uid 1000)", nobody.Stdout, StringComparison.Ordinal);
        CliRun daemon = scenario.Run("explain", "daemon");
        Assert.Contains("legacy (not listed; uid 1 < migrated-from-uid 1000; default legacy)", daemon.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void UidAndHomeMayBeGivenForAUserWithoutAnAccount()
    {
        using var scenario = new CliScenario("", extraState: "migrated-from-uid = 1000");
        CliRun run = scenario.Run("explain", "ghost@example.org", "--uid", "2000", "--home", "/srv/mail/ghost");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("MAIL=mbox:/srv/mail/ghost/IMAP:INBOX=/var/mail/ghost@example.org", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownUserExits3()
    {
        using var scenario = new CliScenario("");
        CliRun run = scenario.Run("explain", "no-such-user-here");
        Assert.Equal(3, run.ExitCode);
        run.AssertOneErrorLine("no-such-user-here: no such user");
    }

    [Fact]
    public void AMigratingUserIsRefused()
    {
        using var scenario = new CliScenario("root migrating\n");
        CliRun run = scenario.Run("explain", "root", "--json");
        Assert.Equal(0, run.ExitCode);
        using JsonDocument json = JsonDocument.Parse(run.Stdout);
        Assert.True(json.RootElement.GetProperty("loginRefused").GetBoolean());
        Assert.Empty(json.RootElement.GetProperty("variables").EnumerateObject());
    }

    [Theory]
    [InlineData("2.3", "migrated")]
    [InlineData("2.3", "legacy")]
    [InlineData("2.4", "migrated")]
    public void ExplainGivesWhatThePublishedHookHandsDovecot(string version, string state)
    {
        using var scenario = new CliScenario($"root {state}\n", version: version);
        using JsonDocument explained = JsonDocument.Parse(scenario.Run("explain", "root", "--json").Stdout);

        // The hook as script-login runs it, exec'ing env(1) to show what it hands on.
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["USER"] = "root",
            ["HOME"] = "/root",
            ["UID"] = "0",
            ["MAIL"] = "maildir:~/Maildir",
            ["DOVECOT_ROOT_HELPER_CONFIG"] = scenario.ConfigPath,
            ["USERDB_KEYS"] = "UID HOME MAIL DOVECOT_ROOT_HELPER_CONFIG",
        };
        CliRun hook = PublishedImaproot.Start(PublishedImaproot.Hook, ["/usr/bin/env"], environment, "");
        Assert.Equal(0, hook.ExitCode);
        Dictionary<string, string> handed = hook.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(l => l[..l.IndexOf('=', StringComparison.Ordinal)], l => l[(l.IndexOf('=', StringComparison.Ordinal) + 1)..]);

        foreach (JsonProperty variable in explained.RootElement.GetProperty("variables").EnumerateObject())
            Assert.Equal(handed[variable.Name], variable.Value.GetString());
        string added = string.Join(' ', explained.RootElement.GetProperty("userdbKeysAdded").EnumerateArray().Select(e => e.GetString()));
        // 2.4's split settings do not replace a 2.3-style MAIL from the userdb; the hook leaves it listed.
        Assert.Equal((version == "2.3" ? "UID HOME " : "UID HOME MAIL ") + added, handed["USERDB_KEYS"]);
        foreach (JsonElement removed in explained.RootElement.GetProperty("removed").EnumerateArray())
        {
            if (!explained.RootElement.GetProperty("variables").TryGetProperty(removed.GetString()!, out _))
                Assert.False(handed.ContainsKey(removed.GetString()!));
        }
    }
}
