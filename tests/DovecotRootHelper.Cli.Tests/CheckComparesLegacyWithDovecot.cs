using System.Text.Json;

namespace DovecotRootHelper.Cli.Tests;

/// <summary>
/// imaproot check compares a set <c>[locations] legacy</c> with Dovecot's own mail location, asked of
/// the generation's real doveconf over a private Dovecot config (2.4: in the Debian 13 tree): a
/// difference would move every legacy user at the next login, so it is a problem with the line to write.
/// </summary>
public class CheckComparesLegacyWithDovecot
{
    [Theory]
    [InlineData("2.3", "mbox:~/mail:INBOX=/var/mail/%u")]
    [InlineData("2.4", "mbox:~/mail:INBOX=/var/mail/%{user}")]
    public void ALegacyTemplateThatIsNotDovecotsLocationIsAProblemSayingWhatToWrite(string version, string dovecots)
    {
        using var scenario = new CliScenario("alice legacy\n", version: version, dovecotMailPath: "~/mail");
        CliRun run = scenario.Run("check");
        Assert.Equal(4, run.ExitCode);
        string[] lines = run.Stdout.TrimEnd('\n').Split('\n');
        Assert.Equal(["note: Dovecot runs post-login hook for imap and pop3"], lines[1..]);
        string line = lines[0];
        Assert.StartsWith($"{scenario.ConfigPath}: [locations] legacy = mbox:~:INBOX=/var/mail/%u is not Dovecot's own mail location {dovecots}", line, StringComparison.Ordinal);
        Assert.Contains($"write \"legacy = {dovecots}\" under [locations]", line, StringComparison.Ordinal);
        run.AssertOneErrorLine("1 problem(s) found");
    }

    [Theory]
    [InlineData("2.3", "mbox:~/mail:INBOX=/var/mail/%u")]
    [InlineData("2.4", "mbox:%{home}/mail:INBOX=/var/mail/%{user}")]
    [InlineData("2.4", "mbox:~/mail:INBOX=/var/mail/%u")]
    public void ALegacyTemplateThatIsDovecotsLocationIsOk(string version, string legacy)
    {
        using var scenario = new CliScenario("alice legacy\n", version: version, legacy: legacy, dovecotMailPath: "~/mail");
        CliRun run = scenario.Run("check");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal($"note: Dovecot runs post-login hook for imap and pop3\nok: {scenario.ConfigPath}, {scenario.StatePath} (1 user(s))\n", run.Stdout);
    }

    [Fact]
    public void ADovecotThatCannotBeAskedIsAWarningNotOk()
    {
        using var scenario = new CliScenario("alice legacy\n");
        File.WriteAllText(scenario.ConfigPath, File.ReadAllText(scenario.ConfigPath).Replace("doveconf = doveconf", "doveconf = /nonexistent/doveconf", StringComparison.Ordinal));
        CliRun run = scenario.Run("check", "--json");
        Assert.Equal(0, run.ExitCode);
        using JsonDocument json = JsonDocument.Parse(run.Stdout);
        Assert.False(json.RootElement.GetProperty("ok").GetBoolean());
        string[] warnings = [.. json.RootElement.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!)];
        Assert.Equal(2, warnings.Length);
        Assert.Contains("legacy = mbox:~:INBOX=/var/mail/%u not compared with Dovecot's mail location: cannot run '/nonexistent/doveconf", warnings[0], StringComparison.Ordinal);
        Assert.StartsWith("whether Dovecot follows the state file is not checked: cannot ask Dovecot which setup it runs: cannot run '/nonexistent/doveconf", warnings[1], StringComparison.Ordinal);

        CliRun text = scenario.Run("check");
        Assert.Equal(0, text.ExitCode);
        Assert.StartsWith("warning: ", text.Stdout, StringComparison.Ordinal);
        Assert.StartsWith("checked with 2 warning(s), not ok: ", text.Stdout.TrimEnd('\n').Split('\n')[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void LegacyUnsetIsNotComparedAndSaysDovecotsLocationApplies()
    {
        using var scenario = new CliScenario("alice legacy\n", legacy: null, dovecotMailPath: "~/mail");
        CliRun run = scenario.Run("check");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("note: [locations] legacy is unset: legacy users keep Dovecot's own mail location\n", run.Stdout, StringComparison.Ordinal);
        Assert.EndsWith($"ok: {scenario.ConfigPath}, {scenario.StatePath} (1 user(s))\n", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void OneCheckAsksDoveconfForTheGlobalLocationOnce()
    {
        using var scenario = new CliScenario("alice legacy\n", version: "2.3", legacy: "mbox:~/mail:INBOX=/var/mail/%u", dovecotMailPath: "~/mail");
        string log = Path.Combine(scenario.Dir, "doveconf.log");
        string wrapper = scenario.Write("doveconf-logged", $"#!/bin/sh\necho \"$*\" >> {log}\nexec \"$@\"\n");
        File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllText(scenario.ConfigPath, File.ReadAllText(scenario.ConfigPath).Replace("doveconf = ", $"doveconf = {wrapper} ", StringComparison.Ordinal));
        CliRun run = scenario.RunInProcess("check");
        Assert.Equal(0, run.ExitCode);
        string[] asked = File.ReadAllLines(log);
        Assert.Equal(2, asked.Length);
        Assert.Single(asked, a => a.EndsWith(" -n", StringComparison.Ordinal));
    }
}
