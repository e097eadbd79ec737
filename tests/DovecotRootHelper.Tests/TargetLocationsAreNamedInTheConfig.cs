using System.Text;
using DovecotRootHelper.Configuration;
using DovecotRootHelper.Decision;
using DovecotRootHelper.Dovecot;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Tests;

/// <summary>
/// Named target locations: every [locations] key besides legacy and migrated, in the config's
/// order; a state line may name one, and the hook's decision, the state file's writer and the
/// all-services passwd-file follow it. A name the config does not define stays an unknown state.
/// </summary>
public sealed class TargetLocationsAreNamedInTheConfig : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string StatePath => Path.Combine(_dir.Path, "state");

    private HelperConfig Config(string targets = "maildir = maildir:~/Maildir:LAYOUT=fs\nmdbox = mdbox:~/mdbox\n", string version = "2.3") =>
        HelperConfig.Parse(Encoding.UTF8.GetBytes($"""
            [dovecot]
            version = {version}
            [locations]
            legacy = mbox:~:INBOX=/var/mail/%u
            {targets}
            [state]
            file = {StatePath}
            userdb = {Path.Combine(_dir.Path, "userdb")}
            """), "/etc/drh.conf");

    [Fact]
    public void EveryOtherKeyOfLocationsIsATargetInTheConfigsOrder()
    {
        HelperConfig config = Config();
        Assert.Equal(["maildir", "mdbox"], config.Targets.Names);
        Assert.Equal("maildir:~/Maildir:LAYOUT=fs", config.Targets.Template("maildir")!.Text);
        Assert.Null(config.Targets.Template("legacy"));
        Assert.Equal(0, Config(targets: "").Targets.Count);
    }

    [Theory]
    [InlineData("Maildir = maildir:~/Maildir", "must start with a lower-case letter")]
    [InlineData("migrating = maildir:~/Maildir", "is a built-in state")]
    [InlineData("mail_dir = maildir:~/Maildir", "holds '_'")]
    [InlineData("maildir =", "expected a mail location")]
    [InlineData("maildir = maildir:Maildir", "relative path")]
    public void ABadTargetIsRefusedWithItsLine(string line, string problem)
    {
        ConfigException e = Assert.Throws<ConfigException>(() => Config(targets: line + "\n"));
        Assert.Contains("/etc/drh.conf:5:", e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AStateLineNamingATargetParsesAndOneNamingNoneIsAnUnknownState()
    {
        HelperConfig config = Config();
        StateEntry? entry = StateFileSyntax.FindUser("alice\tmaildir\tconverted\n"u8, "alice"u8, "state", targets: config.Targets);
        Assert.NotNull(entry);
        Assert.True(entry.State.IsTarget);
        Assert.Equal(UserState.AtTarget("maildir"), entry.State);
        Assert.Equal("converted", entry.Note);

        StateFileException withTargets = Assert.Throws<StateFileException>(() => StateFileSyntax.FindUser("alice sdbox\n"u8, "alice"u8, "state", targets: config.Targets));
        Assert.Equal("state:1: unknown state 'sdbox' for user 'alice' (expected legacy, migrated, migrating or a target of [locations]: maildir, mdbox)", withTargets.Message);
        StateFileException without = Assert.Throws<StateFileException>(() => StateFileSyntax.FindUser("alice maildir\n"u8, "alice"u8, "state"));
        Assert.EndsWith("(expected legacy, migrated or migrating)", without.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheDecisionGivesATargetUserTheTargetsLocation()
    {
        HelperConfig config = Config();
        RootDecision decision = RootDecision.Decide(config, "alice", "/home/alice", "1000", new StateEntry("alice", UserState.AtTarget("mdbox"), 3, ""));
        Assert.False(decision.RefusesLogin);
        Assert.Equal("mdbox", decision.Location!.Driver);
        Assert.Equal("/home/alice/mdbox", decision.Location.Path);
    }

    [Fact]
    public void TheWriterKeepsATargetAndThePasswdFileGivesItsFields()
    {
        HelperConfig config = Config();
        File.WriteAllText(StatePath, "bob legacy\n");
        using (StateFileWriter writer = StateFileWriter.Lock(StatePath, UserdbOverlay.For(config), config.Targets))
            writer.SetState("alice", UserState.AtTarget("maildir"), "note");
        Assert.Equal("bob legacy\nalice\tmaildir\tnote\n", File.ReadAllText(StatePath));
        Assert.Equal(UserState.AtTarget("maildir"), StateFileReader.FindUser(StatePath, "alice", targets: config.Targets)!.State);
        string userdb = File.ReadAllText(Path.Combine(_dir.Path, "userdb"));
        Assert.Contains("\nalice:::::::userdb_mail=maildir:~/Maildir:LAYOUT=fs\n", userdb, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutTheTargetsTheWriterRefusesTheFileRatherThanRewriteIt()
    {
        HelperConfig config = Config();
        File.WriteAllText(StatePath, "alice maildir\n");
        using StateFileWriter writer = StateFileWriter.Lock(StatePath);
        Assert.Throws<StateFileException>(() => writer.SetState("bob", UserState.Migrated, ""));
        Assert.Equal("alice maildir\n", File.ReadAllText(StatePath));
    }
}
