using DovecotRootHelper.Dovecot;

namespace DovecotRootHelper.Tests;

/// <summary>doveconf -n's output read as the setup Dovecot runs, in both generations' syntax (captured from 2.3.19 and 2.4.1 here).</summary>
public class DovecotSetupTests
{
    private const string AllServices23 = """
        # 2.3.19.1 (9b53102964): /tmp/t/dovecot.conf
        protocols = imap pop3
        userdb {
          driver = passwd
        }
        userdb {
          driver = passwd
          result_success = continue-ok
        }
        userdb {
          args = username_format=%u /var/lib/dovecot-root-helper/userdb
          driver = passwd-file
          result_failure = return-ok
          skip = notfound
        }
        """;

    private const string AllServices24 = """
        protocols = imap pop3
        passdb passwd-file {
          default_password_scheme = PLAIN
          passwd_file_path = /tmp/t/passwd
        }
        service imap-login {
          inet_listener imap {
            port = 24153
          }
        }
        userdb passwd {
          result_success = continue-ok
        }
        userdb passwd-file {
          passwd_file_path = /var/lib/dovecot-root-helper/userdb
          result_failure = return-ok
          skip = notfound
        }
        """;

    private const string PostLogin = """
        protocols = " imap lmtp pop3"
        service imap-postlogin {
          executable = script-login /usr/lib/dovecot-root-helper/dovecot-root-helper
          unix_listener imap-postlogin {
          }
        }
        service imap {
          executable = imap imap-postlogin
        }
        """;

    private const string Userdb = "/var/lib/dovecot-root-helper/userdb";

    [Fact]
    public void TheStockUserdbLeftBeforeTheSnippetIsNamed()
    {
        DovecotSetup setup = DovecotSetup.Parse(AllServices23);
        Assert.True(setup.ReadsUserdb(Userdb));
        Assert.Equal($"userdb 1 of 3 (driver passwd, result_success = return-ok) answers before {Userdb} is read", setup.UserdbEndingLookupsBefore(Userdb));
    }

    [Fact]
    public void The24SnippetWithItsOwnPasswdUserdbIsWhole()
    {
        DovecotSetup setup = DovecotSetup.Parse(AllServices24);
        Assert.True(setup.ReadsUserdb(Userdb));
        Assert.False(setup.ReadsUserdb("/elsewhere/userdb"));
        Assert.Null(setup.UserdbEndingLookupsBefore(Userdb));
        Assert.False(setup.RunsHookAtLogin("imap"));
        Assert.Equal($"all-services userdb ({Userdb})", setup.Describe(Userdb));
    }

    [Fact]
    public void APostLoginHookForImapOnlyLeavesPop3Unhooked()
    {
        DovecotSetup setup = DovecotSetup.Parse(PostLogin);
        Assert.Equal(["imap", "lmtp", "pop3"], setup.Protocols);
        Assert.True(setup.RunsHookAtLogin("imap"));
        Assert.False(setup.RunsHookAtLogin("pop3"));
        Assert.False(setup.ReadsUserdb(Userdb));
        Assert.Equal("post-login hook for imap", setup.Describe(Userdb));
    }

    [Fact]
    public void ThePassdbThatTellsWhyMustFollowAPassdbThatLetsTheLoginGoOn()
    {
        const string Refusal = "/var/lib/dovecot-root-helper/userdb-refusal.conf";
        string snippetPassdb = $"passdb {{\n  args = {Refusal}\n  driver = dict\n  result_success = return-fail\n  skip = unauthenticated\n}}\n";
        string stock = "passdb {\n  args = dovecot\n  driver = pam\n}\n";
        string continuing = "passdb {\n  args = dovecot\n  driver = pam\n  result_success = continue-ok\n}\n";
        Assert.Contains("no passdb reads", DovecotSetup.Parse(AllServices23).RefusalPassdbProblem(Refusal), StringComparison.Ordinal);
        Assert.Contains("passdb 1 of 2 (driver pam, result_success = return-ok) ends every login", DovecotSetup.Parse(AllServices23 + "\n" + stock + snippetPassdb).RefusalPassdbProblem(Refusal), StringComparison.Ordinal);
        Assert.Null(DovecotSetup.Parse(AllServices23 + "\n" + continuing + snippetPassdb).RefusalPassdbProblem(Refusal));
    }

    [Theory]
    [InlineData("field\tvalue\nuid\t1000\nhome\t/home/bob\nmail\tmbox:~/IMAP:INBOX=/var/mail/bob\n", "2.3", "mail=mbox:/home/bob/IMAP:INBOX=/var/mail/bob")]
    [InlineData("field\tvalue\nuid\t1000\nhome\t/home/bob\nmail\tmbox:~:INBOX=/var/mail/bob\n", "2.3", "mail=mbox:/home/bob:INBOX=/var/mail/bob")]
    public void Dovecot23sAnswerIsItsMailLine(string output, string generation, string expected)
    {
        DovecotGeneration g = DovecotGeneration.Named(generation)!;
        UserdbAnswer answer = UserdbAnswer.Parse(output);
        Assert.Equal(expected, UserdbAnswer.Describe(answer.Location("bob", null, g, new Dictionary<string, string>()), g));
    }

    [Fact]
    public void Dovecot24sAnswerOverridesTheGlobalSettings()
    {
        DovecotGeneration g = DovecotGeneration.V24;
        // doveconf KEY... as 2.4.1 printed it for a site with mbox under the home.
        Dictionary<string, string> global = GlobalMailLocation.Settings("""
            mail_driver = mbox
            mail_path = ~
            mail_inbox_path = /var/mail/%{user}
            mail_index_path = 
            mail_index_private_path = 
            mail_control_path = 
            mail_volatile_path = 
            mail_alt_path = 
            mailbox_list_layout = fs
            mailbox_subscriptions_filename = subscriptions
            mailbox_directory_name = 
            mailbox_root_directory_name = 
            mailbox_list_utf8 = no
            """, g);
        UserdbAnswer userdb = UserdbAnswer.Parse("field\tvalue\nhome\t/home/bob\nmail_path\t/home/bob/IMAP\nmail_driver\tmbox\n");
        UserdbAnswer none = UserdbAnswer.Parse("field\tvalue\nhome\t/home/bob\n");
        var migrated = Locations.LocationTemplate.Parse("mbox:~/IMAP:INBOX=/var/mail/%u").Expand("bob", "/home/bob");
        var legacy = Locations.LocationTemplate.Parse("mbox:~:INBOX=/var/mail/%u").Expand("bob", "/home/bob");
        Assert.True(UserdbAnswer.Same(userdb.Location("bob", null, g, global), migrated, g));
        Assert.True(UserdbAnswer.Same(none.Location("bob", null, g, global), legacy, g));
        Assert.False(UserdbAnswer.Same(none.Location("bob", null, g, global), migrated, g));
    }
}
