using System.Globalization;

namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A private Dovecot (2.3 or 2.4) set up with the shipped all-services snippet: the system userdb
/// (real Unix accounts) plus the userdb imaproot derives from the state file, and LMTP with Sieve
/// (Debian's dovecot-lmtpd and dovecot-sieve). Every user has a Sieve script that files mail whose
/// subject says "[list]" into "Lists", and a "Lists" mailbox only under the root the state decides,
/// so a delivery that looks in the wrong root keeps the message in INBOX instead.
/// </summary>
public abstract class AllServicesDovecot : DovecotSandbox
{
    /// <summary>Unlisted users at or above this uid are migrated.</summary>
    public const int MigratedFromUid = 22150;

    public const string InitialState =
        "# dovecot-root-helper state file (all-services end-to-end tests)\n"
        + "drhall-legacy legacy\n"
        + "drhall-migrated migrated\n"
        + "drhall-migrating migrating\n"
        + "drhall-mover legacy\n"
        + "drhall-busy legacy\n"
        + "drhall-toggled legacy\n";

    public const string SieveScript = """
        require "fileinto";
        if header :contains "subject" "[list]" {
          fileinto "Lists";
        }

        """;

    protected AllServicesDovecot(DovecotGeneration generation)
        : base(InitialState, generation)
    {
        try
        {
            File.AppendAllText(ConfigPath, $"""

                [state]
                userdb = {Path.Combine(Etc, "userdb")}
                migrated-from-uid = {MigratedFromUid}

                """);
            AppendMigrationSection(kickTimeoutSeconds: 20);
            // As the README says: the userdb files exist before Dovecot reads the snippet.
            Imaproot("reindex").Succeeded();
            string snippet = InstallSnippet(
                Path.Combine(RepositoryLayout.Root, "packaging", "dovecot", $"dovecot-{GenerationName}-all-services.conf"),
                new Dictionary<string, string> { ["/var/lib/dovecot-root-helper/"] = Etc + "/" });
            string delivery = Path.Combine(Root, "delivery.conf");
            File.WriteAllText(delivery, DeliveryConfig());
            Start(new Dictionary<string, string> { ["PASSWD_FILE"] = "passdb" }, snippet, delivery);
            string home = Path.Combine(DovecotDirectory, "home");
            Legacy = Account("drhall-legacy", 22101, home);
            Migrated = Account("drhall-migrated", 22102, home);
            Migrating = Account("drhall-migrating", 22103, home);
            Unlisted = Account("drhall-unlisted", 22104, home);
            Mover = Account("drhall-mover", 22105, home);
            Busy = Account("drhall-busy", 22106, home);
            Toggled = Account("drhall-toggled", 22107, home);
            Fill(Legacy, Legacy.Home);
            Fill(Migrated, Path.Combine(Migrated.Home, "IMAP"));
            Fill(Migrating, Migrating.Home);
            Fill(Unlisted, Unlisted.Home);
            Fill(Mover, Mover.Home);
            Fill(Busy, Busy.Home);
            // Both roots hold mail; which one Dovecot opens follows imaproot set.
            Fill(Toggled, Toggled.Home);
            Fill(Toggled, Path.Combine(Toggled.Home, "IMAP"));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public TestUser Legacy { get; }

    public TestUser Migrated { get; }

    public TestUser Migrating { get; }

    /// <summary>Not in the state file, uid below <see cref="MigratedFromUid"/>: the default, legacy.</summary>
    public TestUser Unlisted { get; }

    /// <summary>Legacy; a test migrates it with imaproot and puts it back.</summary>
    public TestUser Mover { get; }

    /// <summary>Legacy; a test migrates it while mail is being delivered, and puts it back.</summary>
    public TestUser Busy { get; }

    /// <summary>Legacy, with mail in both roots; a test sets it migrated with imaproot and back.</summary>
    public TestUser Toggled { get; }

    public string LmtpSocket => Path.Combine(DovecotDirectory, "run", "lmtp");

    /// <summary>The published imaproot with this sandbox's config.</summary>
    public ImaprootRun Imaproot(params string[] arguments) => Infrastructure.Imaproot.Run(ConfigPath, arguments);

    /// <summary>A real Unix account with a passdb line (password <see cref="TestUser.Password"/>), a home, a spool, a Sieve script.</summary>
    public TestUser Account(string name, int uid, string home)
    {
        TestUser user = UnixTestAccount.Ensure(name, uid, Path.Combine(home, name));
        AddUser(user.Name, user.Uid, user.Home);
        MailTree.AddFile(user, user.Home, ".dovecot.sieve", SieveScript);
        MailTree.AddFile(user, user.Home, ".bashrc", "export EDITOR=vi\n");
        return user;
    }

    /// <summary>The user's mail under <paramref name="root"/>: an Archive and the Lists the Sieve script files into.</summary>
    public static void Fill(TestUser user, string root)
    {
        MailTree.AddMailbox(user, root, "Archive", $"archive of {user.Name}");
        MailTree.AddMailbox(user, root, "Lists", $"first list mail of {user.Name}");
    }

    private string DeliveryConfig()
    {
        string common = """
            protocols = imap pop3 lmtp
            postmaster_address = postmaster@example.org
            """;
        return Generation == DovecotGeneration.V24
            ? common + """

                protocol lmtp {
                  mail_plugins {
                    sieve = yes
                  }
                }
                sieve_script personal {
                  driver = file
                  path = ~/sieve
                  active_path = ~/.dovecot.sieve
                }

                """
            : common + """

                protocol lmtp {
                  mail_plugins = $mail_plugins sieve
                }
                plugin {
                  sieve = file:~/sieve;active=~/.dovecot.sieve
                }

                """;
    }

    /// <summary>The uid as Dovecot's configs write it.</summary>
    public static string Uid(TestUser user) => user.Uid.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The all-services setup on Debian 12's Dovecot 2.3.</summary>
public sealed class AllServicesDovecot23() : AllServicesDovecot(DovecotGeneration.V23);

/// <summary>The all-services setup on Debian 13's Dovecot 2.4.</summary>
public sealed class AllServicesDovecot24() : AllServicesDovecot(DovecotGeneration.V24);
