namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A private Dovecot 2.3 with the published hook in one of its checkpassword roles, installed with
/// the shipped snippet (only the install paths replaced), and real Unix accounts in each state:
/// every user has its mailboxes in $HOME with one message each; the migrated user also has them,
/// with the same names and two messages each, under $HOME/IMAP, so a STATUS count says which root
/// a login got.
/// </summary>
public abstract class CheckpasswordDovecot : DovecotSandbox
{
    public const string InitialState =
        "# dovecot-root-helper state file (checkpassword end-to-end tests)\n"
        + "drhcp-legacy legacy\n"
        + "drhcp-migrated migrated moved 2024-01-01 by the tests\n"
        + "drhcp-moving migrating\n";

    /// <summary>The mailboxes every user has in each root it may get.</summary>
    public static readonly string[] MailboxFiles = ["Archive", "mail/Lists"];

    protected CheckpasswordDovecot(CheckpasswordRole role, bool authCache)
        : base(InitialState)
    {
        try
        {
            string home = Path.Combine(DovecotDirectory, "home");
            Legacy = UnixAccount("drhcp-legacy", 21011, Path.Combine(home, "drhcp-legacy"));
            Migrated = UnixAccount("drhcp-migrated", 21012, Path.Combine(home, "drhcp-migrated"));
            Moving = UnixAccount("drhcp-moving", 21013, Path.Combine(home, "drhcp-moving"));
            UnixTestAccount.RequireMissing(Unknown);

            var installedPaths = new Dictionary<string, string> { [InstalledHook] = RepositoryLayout.Hook };
            if (role == CheckpasswordRole.PassdbChain)
                installedPaths[InstalledChecker] = RepositoryLayout.CheckpasswordChecker;
            string hook = InstallSnippet(Snippet(role), installedPaths);
            string settings = Path.Combine(Root, "checkpassword-settings.conf");
            File.WriteAllText(settings, Settings(authCache));
            // In the userdb role the passwd-file passdb checks passwords; in the chain the checker does.
            string passwdFile = role == CheckpasswordRole.Userdb ? "passdb" : "";
            Start(new Dictionary<string, string> { ["PASSWD_FILE"] = passwdFile }, hook, settings);

            foreach (TestUser user in new[] { Legacy, Migrated, Moving })
            {
                AddUser(user.Name, user.Uid, user.Home);
                FillRoot(user, user.Home, "$HOME", copies: 1);
            }
            FillRoot(Migrated, Path.Combine(Migrated.Home, "IMAP"), "$HOME/IMAP", copies: 2);
            // Known to the passwd-file passdb, unknown to getpwnam: only the userdb can refuse it.
            if (role == CheckpasswordRole.Userdb)
                AddUser(Unknown, 21019);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>A name with a password in the passwd-file but no Unix account.</summary>
    public const string Unknown = "drhcp-nobody";

    private const string InstalledHook = "/usr/lib/dovecot-root-helper/dovecot-root-helper";

    private const string InstalledChecker = "/usr/lib/dovecot-root-helper/checkpassword-checker";

    /// <summary>Legacy: the root is $HOME.</summary>
    public TestUser Legacy { get; }

    /// <summary>Migrated: the root is $HOME/IMAP; the copies left in $HOME must not show.</summary>
    public TestUser Migrated { get; }

    /// <summary>Migrating: logins refused temporarily.</summary>
    public TestUser Moving { get; }

    private static string Snippet(CheckpasswordRole role) => role switch
    {
        CheckpasswordRole.Userdb => RepositoryLayout.CheckpasswordUserdbSnippet,
        _ => RepositoryLayout.CheckpasswordPassdbSnippet,
    };

    private string Settings(bool authCache)
    {
        // The auth process passes this on to its checkpassword children.
        string settings = $"import_environment = TZ DOVECOT_ROOT_HELPER_CONFIG={ConfigPath}\n";
        // Refused logins are the point of several tests: Dovecot's delay after each, and anvil's
        // growing penalty for repeated failures from one address, would only slow them down.
        settings += "auth_failure_delay = 0\nservice anvil {\n  unix_listener anvil-auth-penalty {\n    mode = 0\n  }\n}\n";
        if (authCache)
            settings += "auth_cache_size = 1M\nauth_cache_ttl = 1 hour\n";
        return settings;
    }

    private static void FillRoot(TestUser user, string root, string where, int copies)
    {
        foreach (string mailbox in MailboxFiles)
        {
            string messages = string.Concat(Enumerable.Range(1, copies).Select(n => MailTree.Message($"{mailbox} in {where}, {n}")));
            MailTree.AddFile(user, root, mailbox, messages);
        }
    }
}
