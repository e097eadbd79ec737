namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A private Dovecot on 127.0.0.1 (tests/dovecot/private-dovecot.sh) of one generation, with the
/// published hook as its post-login script, installed with that generation's shipped snippet, and a
/// handful of users in every state. One per test class (<see cref="PrivateDovecot23"/>,
/// <see cref="PrivateDovecot24"/>); tests that change the state file or the hook's config put them
/// back (<see cref="DovecotSandbox.RestoreState"/>, <see cref="DovecotSandbox.WriteHelperConfig"/>).
/// </summary>
public abstract class PrivateDovecot : DovecotSandbox
{
    /// <summary>The state file every test starts from.</summary>
    public const string InitialState =
        "# dovecot-root-helper state file (end-to-end tests)\n"
        + "alice legacy\n"
        + "bob migrated moved 2024-01-01 by the tests\n"
        + "carol migrating\n"
        + "erin legacy\n";

    /// <summary>The mailbox names every user's mail is filed under, whichever root it lives in.</summary>
    public static readonly string[] MailboxFiles = ["mail/Archive", "mail/Lists/debian", "Sent"];

    protected PrivateDovecot(DovecotGeneration generation)
        : this(RepositoryLayout.PostLoginSnippet(generation), generation)
    {
    }

    /// <summary>The same Dovecot and users with another of the shipped post-login snippets.</summary>
    protected PrivateDovecot(string snippet, DovecotGeneration generation, IReadOnlyDictionary<string, string>? environment = null)
        : base(InitialState, generation)
    {
        try
        {
            // The README shows this very snippet; only the install directory differs.
            PostLoginConfig = InstallSnippet(snippet, new Dictionary<string, string>
            {
                ["/usr/lib/dovecot-root-helper/"] = RepositoryLayout.HookDirectory + "/",
            });
            var settings = new Dictionary<string, string>(environment ?? new Dictionary<string, string>()) { ["HELPER_CONFIG"] = ConfigPath };
            Start(settings, PostLoginConfig);
            Alice = AddUser("alice", 20001);
            Bob = AddUser("bob", 20002);
            Carol = AddUser("carol", 20003);
            Dave = AddUser("dave", 20004);
            Erin = AddUser("erin", 20005);
            Frank = AddUser("frank", 20006);
            FillHomes();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string PostLoginConfig { get; }

    /// <summary>Legacy: mailboxes and clutter side by side in $HOME.</summary>
    public TestUser Alice { get; }

    /// <summary>Migrated: mailboxes under $HOME/IMAP, clutter (and a stale mbox) in $HOME.</summary>
    public TestUser Bob { get; }

    /// <summary>Migrating: every login refused.</summary>
    public TestUser Carol { get; }

    /// <summary>Not in the state file: the default, legacy.</summary>
    public TestUser Dave { get; }

    /// <summary>Legacy with mail in $HOME and no clutter; tests move Erin and put her back.</summary>
    public TestUser Erin { get; }

    /// <summary>
    /// Not in the state file, with the highest uid: legacy by default, migrated under
    /// <c>[state] migrated-from-uid</c>. A different mail/Archive in $HOME and in $HOME/IMAP says
    /// which root a login got.
    /// </summary>
    public TestUser Frank { get; }

    private void FillHomes()
    {
        foreach (string mailbox in MailboxFiles)
        {
            MailTree.AddMailbox(Alice, Alice.Home, mailbox, $"{mailbox} in alice's home");
            MailTree.AddMailbox(Bob, Path.Combine(Bob.Home, "IMAP"), mailbox, $"{mailbox} in bob's IMAP");
            MailTree.AddMailbox(Erin, Erin.Home, mailbox, $"{mailbox} in erin's home");
        }
        MailTree.AddMailbox(Carol, Carol.Home, "mail/Archive", "carol's archive");
        MailTree.AddMailbox(Dave, Dave.Home, "mail/Archive", "dave's archive");
        MailTree.AddMailbox(Frank, Frank.Home, "mail/Archive", "frank's archive in his home");
        MailTree.AddMailbox(Frank, Path.Combine(Frank.Home, "IMAP"), "mail/Archive", "frank's archive in IMAP");
        foreach (TestUser user in new[] { Alice, Bob })
        {
            MailTree.AddFile(user, user.Home, ".bashrc", "export EDITOR=vi\n");
            MailTree.AddFile(user, user.Home, "Documents/report.pdf", "%PDF-1.4\n");
        }
        // Mail left behind outside the new root must not show.
        MailTree.AddMailbox(Bob, Bob.Home, "Stale", "stale mbox in bob's home");
    }
}
