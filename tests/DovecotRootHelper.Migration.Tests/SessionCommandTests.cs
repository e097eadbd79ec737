using DovecotRootHelper.State;

namespace DovecotRootHelper.Migration.Tests;

/// <summary>
/// The kick and who commands fail closed: anything but a who that shows no session refuses the
/// migration, puts the user back to legacy and moves nothing; only an empty who (no Dovecot) skips them.
/// </summary>
public class SessionCommandTests
{
    // Captured from the real doveadm here: 2.3.19 (Debian 12) and 2.4.1 (Debian 13), each against a
    // private Dovecot with one IMAP session of whotest, then none.
    private const string Flow23Session = "username=whotest proto=imap pid=19697 ip=127.0.0.1\n";
    private const string Flow24Session = "username=whotest service=imap pid=17203 ip=127.0.0.1 dest_ip=\n";
    private const string Table24NoSession = "username                         service pid ip dest_ip\n";
    private const string Table23NoSession = "username                              proto pid ip\n";
    private const string Tab24Session = "username\tservice\tpid\tip\tdest_ip\nwhotest\timap\t17203\t127.0.0.1\t\n";

    [Theory]
    [InlineData("", 0)]
    [InlineData(Flow23Session, 1)]
    [InlineData(Flow24Session, 1)]
    [InlineData(Flow24Session + Flow24Session, 2)]
    public void FlowOutputOfBothGenerationsIsOneLinePerSession(string output, int sessions)
    {
        WhoOutput parsed = WhoOutput.Parse(output);
        Assert.Null(parsed.Unexpected);
        Assert.Equal(sessions, parsed.Sessions.Count);
    }

    [Theory]
    [InlineData(Table24NoSession)]
    [InlineData(Table23NoSession)]
    [InlineData(Tab24Session)]
    [InlineData("[]")]
    public void TablesAndOtherFormatsAreNotTakenForNoSessions(string output) =>
        Assert.NotNull(WhoOutput.Parse(output).Unexpected);

    [Fact]
    public void TheDefaultWhoUsesTheFlowFormat()
    {
        using var home = new TestHome();
        string config = Path.Combine(home.Root, "default.conf");
        File.WriteAllText(config, "[migration]\nkick-timeout = 5\n");
        Assert.Equal("doveadm -f flow who -1 %u", Configuration.HelperConfig.Load(config).Migration.WhoCommand);
    }

    [Fact]
    public void AMissingDoveadmRefusesTheMigration() =>
        AssertRefused(kick: "/nonexistent/doveadm kick %u", who: "/nonexistent/doveadm -f flow who -1 %u", expected: "'/nonexistent/doveadm kick alice' could not be started");

    [Fact]
    public void AKickThatFailsRefusesTheMigration() =>
        AssertRefused(kick: "/bin/false %u", who: "/bin/true", expected: "'/bin/false alice' exited with 1");

    [Fact]
    public void AWhoThatFailsRefusesTheMigration() =>
        AssertRefused(kick: "/bin/true", who: "/bin/false %u", expected: "'/bin/false alice' exited with 1");

    [Fact]
    public void AWhoWhoseOutputIsNotFlowRefusesTheMigration()
    {
        using var scripts = new TempDirectory();
        string who = Script(scripts, "who.sh", $"printf '{Table24NoSession.Replace("\n", "\\n", StringComparison.Ordinal)}'");
        AssertRefused(kick: "/bin/true", who: who, expected: "not doveadm's flow format");
    }

    [Fact]
    public void SessionsThatStayOpenRefuseTheMigration()
    {
        using var scripts = new TempDirectory();
        string who = Script(scripts, "who.sh", $"printf '{Flow24Session.Replace("\n", "\\n", StringComparison.Ordinal)}'");
        AssertRefused(kick: "/bin/true", who: who, expected: "1 session(s) still open after 1 s: username=whotest service=imap");
    }

    [Fact]
    public void AHungKickIsKilledAndRefusesTheMigration()
    {
        using var scripts = new TempDirectory();
        string pidFile = Path.Combine(scripts.Path, "sleeper.pid");
        string kick = Script(scripts, "kick.sh", $"sleep 60 & echo $! > {pidFile}; wait");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        AssertRefused(kick: kick, who: "/bin/true", expected: $"'{kick}' hung: killed after 1 s");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        AssertGone(int.Parse(File.ReadAllText(pidFile), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void AHungWhoIsKilledAndRefusesTheMigration()
    {
        using var scripts = new TempDirectory();
        string who = Script(scripts, "who.sh", "sleep 60");
        AssertRefused(kick: "/bin/true", who: who, expected: $"'{who}' hung: killed after 1 s");
    }

    [Fact]
    public void AHungFlushIsKilledAndOnlyWarnedAbout()
    {
        // The flush comes after the user is migrated: the files are in place, so it cannot undo anything.
        using var scripts = new TempDirectory();
        string flush = Script(scripts, "flush.sh", "sleep 60");
        using var home = new TestHome(kickTimeout: 1);
        home.Mbox("Archive");
        home.Subscribe("Archive");
        var config = home.Config with { Migration = home.Config.Migration with { FlushCommand = flush } };
        MigrationResult result = new UserMigration(config) { FindAccount = home.Migration.FindAccount }.Migrate(TestHome.User, MailboxSelection.None);
        Assert.Equal(UserState.Migrated, result.FinalState);
        Assert.Contains($"'{flush}' hung: killed after 1 s", result.Messages);
    }

    [Fact]
    public void AnEmptyWhoMeansNoDovecotToAskSoNothingIsKicked()
    {
        using var scripts = new TempDirectory();
        string record = Path.Combine(scripts.Path, "kicked");
        string kick = Script(scripts, "kick.sh", $"echo \"$1\" > {record}");
        using var home = new TestHome();
        string config = Path.Combine(home.Root, "nodovecot.conf");
        File.WriteAllText(config, File.ReadAllText(home.ConfigPath).Replace("who = /bin/true", "who =", StringComparison.Ordinal).Replace("kick = /bin/true %u", $"kick = {kick} %u", StringComparison.Ordinal));
        Configuration.HelperConfig loaded = Configuration.HelperConfig.Load(config);
        Assert.Equal("", loaded.Migration.WhoCommand);
        home.Mbox("Archive");
        home.Subscribe("Archive");
        MigrationResult result = new UserMigration(loaded) { FindAccount = home.Migration.FindAccount }.Migrate(TestHome.User, MailboxSelection.None);
        Assert.Equal(UserState.Migrated, result.FinalState);
        Assert.Contains(result.Messages, m => m.Contains("[migration] who is empty", StringComparison.Ordinal));
        Assert.False(File.Exists(record));
    }

    [Fact]
    public void AKickThatFoundNoSessionIsNotAFailure()
    {
        // Dovecot 2.3's doveadm kick exits 68 (EX_NOUSER, "no users kicked") for a user with no session.
        using var scripts = new TempDirectory();
        string kick = Script(scripts, "kick.sh", "echo 'no users kicked' >&2; exit 68");
        using var home = new TestHome();
        home.Mbox("Archive");
        home.Subscribe("Archive");
        var config = home.Config with { Migration = home.Config.Migration with { KickCommand = kick + " %u" } };
        MigrationResult result = new UserMigration(config) { FindAccount = home.Migration.FindAccount }.Migrate(TestHome.User, MailboxSelection.None);
        Assert.Equal(UserState.Migrated, result.FinalState);
    }

    [Fact]
    public void CommandsGetTheUserForPercentU()
    {
        using var scripts = new TempDirectory();
        string record = Path.Combine(scripts.Path, "kicked");
        // Without a shell: the words are argv, so a script is what records the argument.
        string kick = Script(scripts, "kick.sh", $"echo \"$1\" > {record}");
        using var home = new TestHome();
        home.Mbox("Archive");
        home.Subscribe("Archive");
        var config = home.Config with { Migration = home.Config.Migration with { KickCommand = kick + " %u" } };
        new UserMigration(config) { FindAccount = home.Migration.FindAccount }.Migrate(TestHome.User, MailboxSelection.None);
        Assert.Equal("alice\n", File.ReadAllText(record));
    }

    [Fact]
    public void ARollbackWhoseKickFailsLeavesTheUserMigrated()
    {
        using var home = new TestHome();
        home.Mbox("Archive");
        home.Subscribe("Archive");
        home.Migration.Migrate(TestHome.User, MailboxSelection.None);
        var config = home.Config with { Migration = home.Config.Migration with { KickCommand = "/bin/false" } };
        var failing = new UserMigration(config) { FindAccount = home.Migration.FindAccount };
        string message = Assert.Throws<MigrationException>(() => failing.Rollback(TestHome.User)).Message;
        Assert.Contains("'/bin/false' exited with 1: no output; user back to migrated, nothing moved back", message, StringComparison.Ordinal);
        Assert.Equal("migrated", home.State());
        Assert.True(File.Exists(home.PathOf("IMAP/Archive")));
    }

    private static void AssertRefused(string kick, string who, string expected)
    {
        using var home = new TestHome(kickTimeout: 1);
        home.Mbox("Archive");
        home.Index("Archive");
        home.Subscribe("Archive");
        TreeSnapshot before = home.Snapshot();
        var config = home.Config with { Migration = home.Config.Migration with { KickCommand = kick, WhoCommand = who } };
        var migration = new UserMigration(config) { FindAccount = home.Migration.FindAccount };
        string message = Assert.Throws<MigrationException>(() => migration.Migrate(TestHome.User, MailboxSelection.None)).Message;
        Assert.Contains(expected, message, StringComparison.Ordinal);
        Assert.EndsWith("; user back to legacy, nothing moved", message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', message);
        Assert.Equal("legacy", home.State());
        Assert.Null(home.Migration.Pending(TestHome.User));
        Assert.Equal(Home(before), Home(home.Snapshot()));
    }

    private static Dictionary<string, TreeSnapshot.Entry> Home(TreeSnapshot snapshot) =>
        snapshot.Entries.Where(e => e.Key.StartsWith("home/", StringComparison.Ordinal)).ToDictionary(e => e.Key, e => e.Value);

    private static string Script(TempDirectory dir, string name, string body)
    {
        string path = Path.Combine(dir.Path, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, (UnixFileMode)0x1ED);
        return path;
    }

    /// <summary>The process is gone, or a zombie waiting for init to reap it: either way it runs no more.</summary>
    private static void AssertGone(int pid)
    {
        string stat = Path.Combine("/proc", pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "stat");
        for (int i = 0; i < 50 && File.Exists(stat); i++)
        {
            string text;
            try
            {
                text = File.ReadAllText(stat);
            }
            catch (IOException)
            {
                return;
            }
            if (text[(text.LastIndexOf(')') + 2)..].StartsWith('Z'))
                return;
            Thread.Sleep(100);
        }
        Assert.False(File.Exists(stat), $"the kick's child {pid} still runs");
    }
}
