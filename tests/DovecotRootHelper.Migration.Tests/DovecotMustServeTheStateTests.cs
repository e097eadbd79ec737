using DovecotRootHelper.Configuration;
using DovecotRootHelper.Posix;

namespace DovecotRootHelper.Migration.Tests;

/// <summary>
/// A migration moves nothing unless Dovecot follows the state file, and is put back when Dovecot
/// does not serve the migrated root once the state says migrated. Dovecot is played by two scripts
/// in doveconf's and doveadm user's formats (the live cases: DovecotThatIgnoresTheStateIsCaught).
/// </summary>
public class DovecotMustServeTheStateTests
{
    [Fact]
    public void ADovecotRunningNothingOfOursRefusesTheMigrationBeforeAnythingMoves()
    {
        using var home = Fill(new TestHome());
        UserMigration migration = WithDovecot(home, setup: "protocols = imap pop3\n", answer: LegacyAnswer(home));
        SortedDictionary<string, TreeSnapshot.Entry> before = Oracle.Home(home.Snapshot());
        var e = Assert.Throws<MigrationException>(() => migration.Migrate(TestHome.User, MailboxSelection.None));
        Assert.Contains("Dovecot runs nothing of dovecot-root-helper", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("nothing was touched", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, Oracle.Home(home.Snapshot()));
        Assert.Equal("legacy", home.State());
    }

    [Fact]
    public void AUserdbThatAnswersFirstRefusesTheMigrationNamingIt()
    {
        using var home = Fill(new TestHome());
        string userdb = Path.Combine(home.Root, "userdb");
        UserMigration migration = WithDovecot(home, setup: $"userdb {{\n  driver = passwd\n}}\n{AllServices(userdb)}", answer: LegacyAnswer(home), userdb: userdb);
        SortedDictionary<string, TreeSnapshot.Entry> before = Oracle.Home(home.Snapshot());
        var e = Assert.Throws<MigrationException>(() => migration.Migrate(TestHome.User, MailboxSelection.None));
        Assert.Contains($"userdb 1 of 3 (driver passwd, result_success = return-ok) answers before {userdb}", e.Message, StringComparison.Ordinal);
        Assert.Contains("remove that userdb", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, Oracle.Home(home.Snapshot()));
        Assert.Equal("legacy", home.State());
    }

    [Fact]
    public void ADovecotThatStillAnswersTheOldRootAfterTheFlipGetsTheUserBackAsBefore()
    {
        using var home = Fill(new TestHome());
        string userdb = Path.Combine(home.Root, "userdb");
        // Dovecot answers the legacy root whatever the state says (an auth cache nobody flushes, a
        // userdb that is not the one imaproot writes...).
        UserMigration migration = WithDovecot(home, setup: AllServices(userdb), answer: LegacyAnswer(home), userdb: userdb);
        SortedDictionary<string, TreeSnapshot.Entry> before = Oracle.Home(home.Snapshot());
        var e = Assert.Throws<MigrationException>(() => migration.Migrate(TestHome.User, MailboxSelection.None));
        Assert.Contains($"Dovecot answers mail=mbox:{home.Home}:INBOX=/var/mail/alice for alice", e.Message, StringComparison.Ordinal);
        Assert.Contains($"the state file decides migrated: mail=mbox:{home.Home}/IMAP:INBOX=/var/mail/alice", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("user put back to legacy, nothing left moved", e.Message, StringComparison.Ordinal);
        Assert.Equal("legacy", home.State());
        Assert.Equal(before, Oracle.Home(home.Snapshot()));
        Assert.Null(migration.Pending(TestHome.User));
    }

    [Fact]
    public void ABatchMemberDovecotDoesNotServeAfterTheFlipIsPutBack()
    {
        using var home = Fill(new TestHome());
        string userdb = Path.Combine(home.Root, "userdb");
        UserMigration migration = WithDovecot(home, setup: AllServices(userdb), answer: LegacyAnswer(home), userdb: userdb);
        SortedDictionary<string, TreeSnapshot.Entry> before = Oracle.Home(home.Snapshot());
        BatchResult result = migration.MigrateBatch([TestHome.User], MailboxSelection.None);
        BatchMemberResult member = Assert.Single(result.Members);
        Assert.Null(member.FinalState);
        Assert.EndsWith("user put back to legacy, nothing left moved", member.Error, StringComparison.Ordinal);
        Assert.Equal("legacy", home.State());
        Assert.Equal(before, Oracle.Home(home.Snapshot()));
    }

    [Fact]
    public void ADovecotThatServesTheStateLetsTheMigrationFinish()
    {
        using var home = Fill(new TestHome());
        string userdb = Path.Combine(home.Root, "userdb");
        // Answers what the userdb file imaproot wrote says, as Dovecot's passwd-file userdb does.
        string answer = $"""
            #!/bin/sh
            printf 'field\tvalue\n'
            if grep -q '^alice:.*IMAP' {userdb}; then
              printf 'mail\tmbox:~/IMAP:INBOX=/var/mail/alice\n'
            else
              printf 'mail\tmbox:~:INBOX=/var/mail/alice\n'
            fi
            """;
        UserMigration migration = WithDovecot(home, setup: AllServices(userdb), answer: answer, userdb: userdb);
        migration.Migrate(TestHome.User, MailboxSelection.None);
        Assert.Equal("migrated", home.State());
        Assert.True(File.Exists(home.PathOf("IMAP/Archive")));
    }

    private static TestHome Fill(TestHome home)
    {
        home.Mbox("Archive", "archive");
        home.Index("Archive");
        home.Subscribe("Archive");
        home.SetState(TestHome.User + "\tlegacy");
        return home;
    }

    private static string AllServices(string userdb) => $$"""
        protocols = imap pop3 lmtp
        userdb {
          driver = passwd
          result_success = continue-ok
        }
        userdb {
          args = username_format=%u {{userdb}}
          driver = passwd-file
          result_failure = return-ok
          skip = notfound
        }

        """;

    private static string LegacyAnswer(TestHome home) => "#!/bin/sh\nprintf 'field\\tvalue\\nuid\\t23001\\nmail\\tmbox:~:INBOX=/var/mail/alice\\n'\n";

    // doveconf -n prints the setup; doveconf KEY... the global location.
    private static UserMigration WithDovecot(TestHome home, string setup, string answer, string? userdb = null)
    {
        string setupFile = Path.Combine(home.Root, "doveconf-n.txt");
        File.WriteAllText(setupFile, setup);
        string doveconf = Script(home, "doveconf", $"#!/bin/sh\nif [ \"$1\" = -n ]; then cat {setupFile}; else echo 'mail_location = mbox:~:INBOX=/var/mail/%u'; fi\n");
        string lookup = Script(home, "doveadm-user", answer);
        string config = File.ReadAllText(home.ConfigPath).Replace("doveconf =", $"doveconf = {doveconf}\nuser-lookup = {lookup} %u", StringComparison.Ordinal);
        if (userdb is not null)
            config = config.Replace("[migration]", $"userdb = {userdb}\n[migration]", StringComparison.Ordinal);
        File.WriteAllText(home.ConfigPath, config);
        return new UserMigration(HelperConfig.Load(home.ConfigPath)) { FindAccount = n => n == TestHome.User ? new UnixAccount(TestHome.User, TestHome.Uid, TestHome.Gid, home.Home) : null };
    }

    private static string Script(TestHome home, string name, string text)
    {
        string path = Path.Combine(home.Root, name);
        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, (UnixFileMode)0x1ED);
        return path;
    }
}
