namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A private Dovecot of one generation with the published hook as its post-login script (that
/// generation's shipped snippet) and a <c>[migration]</c> section whose kick, who and flush commands
/// are doveadm against this very Dovecot (<see cref="DovecotSandbox.DoveadmCommandLine"/>: the 2.4
/// doveadm runs in the Debian 13 tree), for driving the published imaproot. Real Unix accounts
/// (imaproot looks users up with getpwnam), each with a legacy home full of mbox mailboxes and the
/// clutter of a real $HOME. The accounts have fixed names, one set per generation: one such sandbox
/// per generation at a time.
/// </summary>
public abstract class MigrationDovecot : DovecotSandbox
{
    /// <summary>The state file every test starts from: the three users, legacy.</summary>
    public static string InitialState(string[] names) =>
        "# dovecot-root-helper state file (migration end-to-end tests)\n"
        + string.Concat(names.Select(name => $"{name} legacy\n"));

    /// <summary>Every mailbox each user has, on-disk (modified UTF-7) name to message count; INBOX is in the spool.</summary>
    public static readonly IReadOnlyDictionary<string, int> Mailboxes = new Dictionary<string, int>
    {
        ["mail/Archive"] = 3,
        ["mail/Lists/debian"] = 2,
        ["mail/Old Stuff"] = 1,
        ["Entw&APw-rfe"] = 2,
        ["Projekte/Entw&APw-rfe"] = 1,
        ["Projekte/2024/Q1"] = 2,
        ["My Folder"] = 1,
        ["Sent"] = 2,
    };

    /// <summary>The mailboxes the client subscribes to; the others are only selected (indexed).</summary>
    public static readonly string[] Subscribed = ["mail/Archive", "Entw&APw-rfe", "My Folder", "Projekte/2024/Q1"];

    /// <summary>Files in $HOME that are not mail; they must stay where they are.</summary>
    public static readonly IReadOnlyDictionary<string, string> Junk = new Dictionary<string, string>
    {
        [".bashrc"] = "export EDITOR=vi\n",
        [".profile"] = "umask 022\n",
        [".cache/thumbnails/x.png"] = "\x89PNG\n",
        ["Documents/report.pdf"] = "%PDF-1.4\n",
        ["notes.txt"] = "call bob\n",
        ["mail/README"] = "my mail folders\n",
    };

    /// <summary>The generation's usual accounts (<c>drhmig-alice</c>, ...).</summary>
    protected MigrationDovecot(DovecotGeneration generation)
        : this(generation, [.. new[] { "drhmig-alice", "drhmig-bob", "drhmig-carol" }.Select(name => generation.Account(name))], generation.AccountUid(22001))
    {
    }

    /// <summary>
    /// A sandbox of its own accounts (three names, uids from <paramref name="firstUid"/>), for a test
    /// class that must not share them; they are removed with the sandbox.
    /// </summary>
    protected MigrationDovecot(DovecotGeneration generation, string[] names, int firstUid)
        : base(InitialState(names), generation)
    {
        try
        {
            AppendMigrationSection(kickTimeoutSeconds: 10);
            string postLogin = InstallSnippet(RepositoryLayout.PostLoginSnippet(generation), new Dictionary<string, string>
            {
                ["/usr/lib/dovecot-root-helper/"] = RepositoryLayout.HookDirectory + "/",
            });
            Start(new Dictionary<string, string> { ["HELPER_CONFIG"] = ConfigPath }, postLogin);
            string home = Path.Combine(DovecotDirectory, "home");
            Alice = UnixAccount(names[0], firstUid, Path.Combine(home, names[0]));
            Bob = UnixAccount(names[1], firstUid + 1, Path.Combine(home, names[1]));
            Carol = UnixAccount(names[2], firstUid + 2, Path.Combine(home, names[2]));
            foreach (TestUser user in new[] { Alice, Bob, Carol })
            {
                AddUser(user.Name, user.Uid, user.Home);
                Fill(user);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Migrated and rolled back, with every record compared.</summary>
    public TestUser Alice { get; }

    /// <summary>Has a session open while imaproot migrates.</summary>
    public TestUser Bob { get; }

    /// <summary>Subscribes to dot-files and plain files before she is migrated.</summary>
    public TestUser Carol { get; }

    /// <summary>The published imaproot with this sandbox's config.</summary>
    public ImaprootRun Imaproot(params string[] arguments) => Infrastructure.Imaproot.Run(ConfigPath, arguments);

    private static void Fill(TestUser user)
    {
        foreach (KeyValuePair<string, int> mailbox in Mailboxes)
        {
            string messages = string.Concat(Enumerable.Range(1, mailbox.Value).Select(n => MailTree.Message($"{mailbox.Key} {n}")));
            MailTree.AddFile(user, user.Home, mailbox.Key, messages);
        }
        foreach (KeyValuePair<string, string> junk in Junk)
            MailTree.AddFile(user, user.Home, junk.Key, junk.Value);
    }
}
