namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The all-services sandbox with <c>[locations] legacy</c> set to the home, a uid rule and users in
/// every state. Every user has a "Lists" mailbox only under the root the state decides, so a
/// delivery that looks in the wrong root keeps the message in INBOX instead.
/// </summary>
public abstract class AllServicesDovecot : AllServicesSandbox
{
    // 2.3's; the other generations' accounts and rule are shifted alike (DovecotGenerationExtensions.AccountUid).
    private const int MigratedFromUid23 = 22150;

    /// <summary>The state file every test starts from, with the generation's account names.</summary>
    public static string InitialState(DovecotGeneration generation) =>
        "# dovecot-root-helper state file (all-services end-to-end tests)\n"
        + $"{generation.Account("drhall-legacy")} legacy\n"
        + $"{generation.Account("drhall-migrated")} migrated\n"
        + $"{generation.Account("drhall-migrating")} migrating\n"
        + $"{generation.Account("drhall-mover")} legacy\n"
        + $"{generation.Account("drhall-busy")} legacy\n"
        + $"{generation.Account("drhall-toggled")} legacy\n"
        + $"{generation.Account("drhall-rollback")} legacy\n";

    protected AllServicesDovecot(DovecotGeneration generation)
        : base(generation, InitialState(generation), generation.AccountUid(MigratedFromUid23))
    {
        try
        {
            MigratedFromUid = generation.AccountUid(MigratedFromUid23);
            string home = Path.Combine(DovecotDirectory, "home");
            Legacy = Account(generation.Account("drhall-legacy"), generation.AccountUid(22101), home);
            Migrated = Account(generation.Account("drhall-migrated"), generation.AccountUid(22102), home);
            Migrating = Account(generation.Account("drhall-migrating"), generation.AccountUid(22103), home);
            Unlisted = Account(generation.Account("drhall-unlisted"), generation.AccountUid(22104), home);
            Mover = Account(generation.Account("drhall-mover"), generation.AccountUid(22105), home);
            Busy = Account(generation.Account("drhall-busy"), generation.AccountUid(22106), home);
            Toggled = Account(generation.Account("drhall-toggled"), generation.AccountUid(22107), home);
            RolledBack = Account(generation.Account("drhall-rollback"), generation.AccountUid(22108), home);
            Fill(Legacy, Legacy.Home);
            Fill(Migrated, Path.Combine(Migrated.Home, "IMAP"));
            Fill(Migrating, Migrating.Home);
            Fill(Unlisted, Unlisted.Home);
            Fill(Mover, Mover.Home);
            Fill(Busy, Busy.Home);
            Fill(RolledBack, RolledBack.Home);
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

    /// <summary>Unlisted users at or above this uid are migrated (<c>[state] migrated-from-uid</c>).</summary>
    public int MigratedFromUid { get; }

    public TestUser Legacy { get; }

    /// <summary>Migrated, served from the migrated root, then rolled back.</summary>
    public TestUser RolledBack { get; }

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

    /// <summary>The user's mail under <paramref name="root"/>: an Archive and the Lists the Sieve script files into.</summary>
    public static void Fill(TestUser user, string root)
    {
        MailTree.AddMailbox(user, root, "Archive", $"archive of {user.Name}");
        MailTree.AddMailbox(user, root, "Lists", $"first list mail of {user.Name}");
    }
}

/// <summary>The all-services setup on Debian 12's Dovecot 2.3.</summary>
public sealed class AllServicesDovecot23() : AllServicesDovecot(DovecotGeneration.V23);

/// <summary>The all-services setup on Debian 13's Dovecot 2.4.</summary>
public sealed class AllServicesDovecot24() : AllServicesDovecot(DovecotGeneration.V24);

/// <summary>The all-services setup on Debian forky's Dovecot 2.4.5.</summary>
public sealed class AllServicesDovecot245() : AllServicesDovecot(DovecotGeneration.V245);
