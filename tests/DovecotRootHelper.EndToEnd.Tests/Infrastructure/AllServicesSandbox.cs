using System.Globalization;

namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A private Dovecot (2.3, 2.4.1 or 2.4.5) set up with the shipped all-services snippet: the system userdb
/// (real Unix accounts) plus the userdb imaproot derives from the state file, and LMTP with Sieve
/// (Debian's dovecot-lmtpd and dovecot-sieve). Every user has a Sieve script that files mail whose
/// subject says "[list]" into "Lists". Subclasses choose the hook's <c>[locations]</c> and
/// <c>[state]</c> settings and Dovecot's own mail root, and create the users.
/// </summary>
public abstract class AllServicesSandbox : DovecotSandbox
{
    public const string SieveScript = """
        require "fileinto";
        if header :contains "subject" "[list]" {
          fileinto "Lists";
        }

        """;

    private readonly bool _legacyUnset;
    private readonly string _defaultState;

    /// <param name="migratedFromUid"><c>[state] migrated-from-uid</c>, or null for no uid rule.</param>
    /// <param name="legacyUnset">Leave <c>[locations] legacy</c> unset: Dovecot's own location for legacy users.</param>
    /// <param name="defaultState"><c>[state] default</c>.</param>
    /// <param name="mailRoot">Dovecot's own mailbox root (private-dovecot.sh's MAIL_ROOT), or null for <c>~</c>.</param>
    /// <param name="withUserdbBefore">Include <see cref="UserdbBeforePath"/> (empty at first) before the snippet: where a test puts a userdb that shadows ours.</param>
    protected AllServicesSandbox(DovecotGeneration generation, string initialState, int? migratedFromUid, bool legacyUnset = false, string defaultState = "legacy", string? mailRoot = null, bool withUserdbBefore = false)
        : base(initialState, generation)
    {
        try
        {
            _legacyUnset = legacyUnset;
            _defaultState = defaultState;
            // The base wrote the config before these fields were set.
            WriteHelperConfig();
            string uidRule = migratedFromUid is int uid ? string.Create(CultureInfo.InvariantCulture, $"migrated-from-uid = {uid}") : "";
            File.AppendAllText(ConfigPath, $"""

                [state]
                userdb = {Path.Combine(Etc, "userdb")}
                {uidRule}

                """);
            AppendMigrationSection(kickTimeoutSeconds: 20);
            // As the README says: the userdb files exist before Dovecot reads the snippet.
            Imaproot("reindex").Succeeded();
            string snippet = InstallSnippet(
                RepositoryLayout.Snippet($"dovecot-{Generation.SnippetName()}-all-services.conf"),
                new Dictionary<string, string> { ["/var/lib/dovecot-root-helper/"] = Etc + "/" });
            string delivery = Path.Combine(Root, "delivery.conf");
            File.WriteAllText(delivery, DeliveryConfig(Generation));
            // As the snippet says: the site's passdb continues to the refusal passdb after a good password.
            var environment = new Dictionary<string, string> { ["PASSWD_FILE"] = "passdb", ["PASSDB_RESULT_SUCCESS"] = "continue-ok" };
            if (mailRoot is not null)
                environment["MAIL_ROOT"] = mailRoot;
            if (withUserdbBefore)
            {
                File.WriteAllText(UserdbBeforePath, "");
                Start(environment, UserdbBeforePath, snippet, delivery);
            }
            else
            {
                Start(environment, snippet, delivery);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    protected override bool LegacyUnset => _legacyUnset;

    protected override string DefaultState => _defaultState;

    public string LmtpSocket => Path.Combine(DovecotDirectory, "run", "lmtp");

    /// <summary>A config file Dovecot includes before the all-services snippet (with <c>withUserdbBefore</c>).</summary>
    public string UserdbBeforePath => Path.Combine(Root, "userdb-before.conf");

    /// <summary>The published imaproot with this sandbox's config.</summary>
    public ImaprootRun Imaproot(params string[] arguments) => Infrastructure.Imaproot.Run(ConfigPath, arguments);

    /// <summary>A real Unix account with a passdb line (password <see cref="TestUser.Password"/>), a home, a spool, a Sieve script.</summary>
    public TestUser Account(string name, int uid, string home)
    {
        TestUser user = UnixAccount(name, uid, Path.Combine(home, name));
        AddUser(user.Name, user.Uid, user.Home);
        MailTree.AddFile(user, user.Home, ".dovecot.sieve", SieveScript);
        MailTree.AddFile(user, user.Home, ".bashrc", "export EDITOR=vi\n");
        return user;
    }

    /// <summary>The uid as Dovecot's configs write it.</summary>
    public static string Uid(TestUser user) => user.Uid.ToString(CultureInfo.InvariantCulture);

    /// <summary>LMTP with Sieve (the user's ~/.dovecot.sieve) beside IMAP and POP3, in the generation's syntax.</summary>
    public static string DeliveryConfig(DovecotGeneration generation)
    {
        string common = """
            protocols = imap pop3 lmtp
            postmaster_address = postmaster@example.org
            """;
        return generation.Is24()
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
}
