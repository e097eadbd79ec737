namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The all-services sandbox with <c>[locations] legacy</c> set to the home, a uid rule and users in
/// every state. Every user has a "Lists" mailbox only under the root the state decides, so a
/// delivery that looks in the wrong root keeps the message in INBOX instead.
/// </summary>
public abstract class AllServicesDovecot : AllServicesSandbox
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

    protected AllServicesDovecot(DovecotGeneration generation)
        : base(generation, InitialState, MigratedFromUid)
    {
        try
        {
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
