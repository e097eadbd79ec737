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
        const string Migrating = "/var/lib/dovecot-root-helper/userdb-migrating";
        string snippetPassdb = $"passdb {{\n  args = {Refusal}\n  driver = dict\n  result_success = return-fail\n  skip = unauthenticated\n}}\n";
        string stock = "passdb {\n  args = dovecot\n  driver = pam\n}\n";
        string continuing = "passdb {\n  args = dovecot\n  driver = pam\n  result_success = continue-ok\n}\n";
        Assert.Contains("no passdb reads", DovecotSetup.Parse(AllServices23).RefusalPassdbProblem(Refusal, Migrating), StringComparison.Ordinal);
        Assert.Contains("passdb 1 of 2 (driver pam, result_success = return-ok) ends every login", DovecotSetup.Parse(AllServices23 + "\n" + stock + snippetPassdb).RefusalPassdbProblem(Refusal, Migrating), StringComparison.Ordinal);
        Assert.Null(DovecotSetup.Parse(AllServices23 + "\n" + continuing + snippetPassdb).RefusalPassdbProblem(Refusal, Migrating));
        // 2.4: a passwd-file passdb whose path comes from the included settings.
        string passdb24 = $"passdb pam {{\n  result_success = continue-ok\n}}\npassdb dovecot-root-helper {{\n  driver = passwd-file\n  passwd_file_path = {Migrating}\n  result_success = return-fail\n  skip = unauthenticated\n}}\n";
        Assert.Null(DovecotSetup.Parse(passdb24).RefusalPassdbProblem(Refusal, Migrating));
    }

    // doveconf -n with the pgsql snippets, as 2.3.19 and 2.4.1 printed it here.
    private const string Pgsql23 = """
        passdb {
          args = scheme=PLAIN /etc/dovecot/users
          driver = passwd-file
          result_success = continue-ok
        }
        passdb {
          args = /usr/share/dovecot-root-helper/dovecot-2.3-all-services-pgsql-args.conf
          driver = sql
          result_success = return-fail
          skip = unauthenticated
        }
        protocols = imap
        userdb {
          driver = passwd
          result_success = continue-ok
        }
        userdb {
          args = /usr/share/dovecot-root-helper/dovecot-2.3-all-services-pgsql-args.conf
          driver = sql
          result_internalfail = return-fail
          skip = notfound
        }
        """;

    private const string Pgsql24 = """
        protocols = imap
        passdb passwd-file {
          default_password_scheme = PLAIN
          result_success = continue-ok
          passwd_file_path = /etc/dovecot/users
        }
        userdb passwd {
          result_success = continue-ok
        }
        userdb dovecot-root-helper-pgsql {
          sql_driver = pgsql
          driver = sql
          result_internalfail = return-fail
          skip = notfound
          sql_iterate_query = SELECT NULL AS user WHERE false
          sql_query = SELECT * FROM imaproot.userdb('%{user}', '%{userdb:uid}', '%{userdb:home}')
          pgsql /tmp/sock {
            parameters {
              dbname = imaproot
              password = secret
              user = dovecot_userdb
            }
          }
        }
        passdb dovecot-root-helper-pgsql {
          driver = sql
          result_success = return-fail
          skip = unauthenticated
          sql_query = SELECT * FROM imaproot.refusal('%{user}', '%{protocol}')
          sql_driver = pgsql
          pgsql /tmp/sock {
            parameters {
              dbname = imaproot
              password = secret
              user = dovecot_userdb
            }
          }
        }
        """;

    private const string Args23 = "/usr/share/dovecot-root-helper/dovecot-2.3-all-services-pgsql-args.conf";

    // The shipped args file, and the site's connection file it includes (root's, mode 0600).
    private static readonly Dictionary<string, string> Files23 = new(StringComparer.Ordinal)
    {
        [Args23] = File.ReadAllText(RepositoryRoot.Combine("packaging", "dovecot", "dovecot-2.3-all-services-pgsql-args.conf")),
        ["/etc/dovecot/dovecot-root-helper-pgsql.conf.ext"] = "connect = host=/run/postgresql dbname=imaproot user=dovecot password=secret\n",
    };

    [Fact]
    public void The23PgsqlSnippetIsReadThroughItsArgsFile()
    {
        DovecotSetup setup = DovecotSetup.Parse(Pgsql23, path => Files23.TryGetValue(path, out string? text) ? text : throw new FileNotFoundException($"{path}: no such file"));
        Assert.True(setup.ReadsSqlUserdb);
        Assert.Empty(setup.SqlUserdbProblems());
        Assert.Null(setup.SqlRefusalPassdbProblem());
        Assert.Equal("all-services pgsql userdb (imaproot.userdb)", setup.Describe(null));
        // Without its args file the sql userdb is nobody's: its query is there only.
        Assert.False(DovecotSetup.Parse(Pgsql23).ReadsSqlUserdb);
        DovecotSetup unreadable = DovecotSetup.Parse(Pgsql23, path => throw new UnauthorizedAccessException($"{path}: permission denied"));
        Assert.False(unreadable.ReadsSqlUserdb);
        Assert.Contains($"cannot read {Args23}", unreadable.SqlArgsFailure, StringComparison.Ordinal);
    }

    [Fact]
    public void The24PgsqlSnippetIsWhole()
    {
        DovecotSetup setup = DovecotSetup.Parse(Pgsql24);
        Assert.True(setup.ReadsSqlUserdb);
        Assert.Empty(setup.SqlUserdbProblems());
        Assert.Null(setup.SqlRefusalPassdbProblem());
        Assert.Equal("all-services pgsql userdb (imaproot.userdb)", setup.Describe(null));
        Assert.False(DovecotSetup.Parse(AllServices24).ReadsSqlUserdb);
    }

    [Fact]
    public void APgsqlChainThatCannotDecideIsNamed()
    {
        // The stock system userdb left before the snippet's: it ends every lookup.
        DovecotSetup shadowed = DovecotSetup.Parse("userdb system {\n  driver = passwd\n}\n" + Pgsql24);
        Assert.Equal(["userdb 1 of 3 (driver passwd, result_success = return-ok) answers before the sql userdb calling imaproot.userdb is read"], shadowed.SqlUserdbProblems());
        Assert.Equal("userdb 1 of 3 (driver passwd, result_success = return-ok) answers before the sql userdb calling imaproot.userdb is read", shadowed.UserdbEndingLookupsBeforeSql());
        // The sql userdb alone: nothing finds the account; and without return-fail an outage hands out Dovecot's root.
        string alone = Pgsql24.Replace("userdb passwd {\n  result_success = continue-ok\n}\n", "", StringComparison.Ordinal)
            .Replace("  result_internalfail = return-fail\n", "", StringComparison.Ordinal);
        IReadOnlyList<string> problems = DovecotSetup.Parse(alone).SqlUserdbProblems();
        Assert.Equal(2, problems.Count);
        Assert.Contains("is the first userdb", problems[0], StringComparison.Ordinal);
        Assert.Contains("result_internalfail = continue", problems[1], StringComparison.Ordinal);
        // The refusal passdb after a passdb that ends every login.
        string ending = Pgsql24.Replace("  result_success = continue-ok\n  passwd_file_path", "  passwd_file_path", StringComparison.Ordinal);
        Assert.Contains("passdb 1 of 2 (driver passwd-file, result_success = return-ok) ends every login before the one that reads imaproot.refusal", DovecotSetup.Parse(ending).SqlRefusalPassdbProblem(), StringComparison.Ordinal);
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
