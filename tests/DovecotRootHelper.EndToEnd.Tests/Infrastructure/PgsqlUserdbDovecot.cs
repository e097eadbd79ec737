namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A private Dovecot (2.3, 2.4.1 or 2.4.5) set up with the shipped pgsql all-services snippet against
/// a private PostgreSQL holding imaproot's schema (<see cref="PgsqlUserdbDatabase"/>): the system userdb
/// (real Unix accounts), then the sql userdb asking the table, and the refusal passdb; IMAP, POP3 and
/// LMTP with Sieve. No published program of ours runs: the schema and Dovecot's row come from imaproot's
/// own library code and config, the user rows are written here, as imaproot will write them.
/// Users: one per state, one at the target location <c>maildir</c> (<see cref="TargetLocation"/>),
/// one unlisted below <c>migrated-from-uid</c> and one at or above it.
/// </summary>
public abstract class PgsqlUserdbDovecot : DovecotSandbox, IDisposable
{
    /// <summary>What the refusal says; with blanks, which the passwd-file design had to turn into dashes.</summary>
    public const string MigratingReason = "Mailboxes are being moved, please try again in a few minutes";

    protected override bool LegacyUnset => true;

    /// <summary>The named target of imaproot's <c>[locations]</c> that <see cref="Converted"/>'s row names (issue 22).</summary>
    public const string TargetLocation = "maildir:~/Maildir:LAYOUT=fs";

    // 2.3's; the other generations' accounts and rule are shifted alike (DovecotGenerationExtensions.AccountUid).
    private const int MigratedFromUid23 = 22750;

    private readonly string _snippet = "";

    protected PgsqlUserdbDovecot(DovecotGeneration generation)
        : base("", generation, runsTheHook: false)
    {
        try
        {
            MigratedFromUid = generation.AccountUid(MigratedFromUid23);
            // imaproot's config: [locations] legacy unset (Dovecot's own location), migrated
            // mbox:~/IMAP:INBOX=SPOOL/%u, [state] default legacy and the uid rule; the database set
            // up from it as imaproot db init does.
            WriteHelperConfig(migratedFromUid: MigratedFromUid);
            File.WriteAllText(ConfigPath, File.ReadAllText(ConfigPath).Replace("[locations]\n", $"[locations]\nmaildir = {TargetLocation}\n", StringComparison.Ordinal));
            string conninfo = Path.Combine(Etc, "imaproot.pgconn");
            File.AppendAllText(ConfigPath, $"\n[postgresql]\nconninfo-file = {conninfo}\n");
            Database = new PgsqlUserdbDatabase(ConfigPath, conninfo);
            // Dovecot first (private-dovecot.sh makes its directories); the accounts' passdb lines follow.
            // The snippet through a file of its own, which SetSnippetIncluded rewrites.
            _snippet = InstallPgsqlSnippet(Database, ConnectionFile);
            File.WriteAllText(SnippetInclude, $"!include {_snippet}\n");
            Start(new Dictionary<string, string> { ["PASSWD_FILE"] = "passdb", ["PASSDB_RESULT_SUCCESS"] = "continue-ok" },
                [SnippetInclude, WriteDeliveryConfig()]);
            string home = Path.Combine(DovecotDirectory, "home");
            Legacy = Account("drhall-pglegacy", 22701, home);
            Migrated = Account("drhall-pgmigrated", 22702, home);
            Migrating = Account("drhall-pgmigrating", 22703, home);
            Unlisted = Account("drhall-pgunlisted", 22704, home);
            Toggled = Account("drhall-pgtoggled", 22705, home);
            Newcomer = Account("drhall-pgnewcomer", MigratedFromUid23 + 10, home);
            Converted = Account("drhall-pgconverted", 22707, home);
            Database.SetState(Legacy.Name, "legacy");
            Database.SetState(Migrated.Name, "migrated");
            Database.SetState(Migrating.Name, "migrating");
            Database.SetState(Toggled.Name, "legacy");
            Database.SetState(Converted.Name, "maildir");
            // Its mbox roots hold mailboxes the Maildir location must not show.
            MailTree.AddMailbox(Converted, Converted.Home, "HomeMarker", "only in $HOME");
            MailTree.AddMailbox(Converted, Path.Combine(Converted.Home, "IMAP"), "Archive", $"migrated archive of {Converted.Name}");
            foreach (TestUser user in new[] { Legacy, Migrated, Migrating, Unlisted, Toggled, Newcomer })
            {
                // Both roots hold an Archive and the Lists the Sieve script files into; only $HOME holds
                // HomeMarker, so a listing says which root Dovecot opened, and a delivery where it looked.
                MailTree.AddMailbox(user, user.Home, "Archive", $"legacy archive of {user.Name}");
                MailTree.AddMailbox(user, user.Home, "Lists", $"legacy list mail of {user.Name}");
                MailTree.AddMailbox(user, user.Home, "HomeMarker", "only in $HOME");
                MailTree.AddMailbox(user, Path.Combine(user.Home, "IMAP"), "Archive", $"migrated archive of {user.Name}");
                MailTree.AddMailbox(user, Path.Combine(user.Home, "IMAP"), "Lists", $"migrated list mail of {user.Name}");
                MailTree.AddFile(user, user.Home, ".dovecot.sieve", AllServicesSandbox.SieveScript);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public PgsqlUserdbDatabase Database { get; } = null!;

    /// <summary>Unlisted users at or above this uid are migrated (<c>[state] migrated-from-uid</c>, hence the row's migrated_from_uid).</summary>
    public int MigratedFromUid { get; }

    public TestUser Legacy { get; } = null!;

    public TestUser Migrated { get; } = null!;

    public TestUser Migrating { get; } = null!;

    /// <summary>Not in the table, uid below <see cref="MigratedFromUid"/>: the default, legacy.</summary>
    public TestUser Unlisted { get; } = null!;

    /// <summary>Not in the table, uid above <see cref="MigratedFromUid"/>: migrated by the rule.</summary>
    public TestUser Newcomer { get; } = null!;

    /// <summary>Listed at the target <c>maildir</c> (<see cref="TargetLocation"/>): a converted user.</summary>
    public TestUser Converted { get; } = null!;

    /// <summary>Listed legacy; a test changes its row and puts it back.</summary>
    public TestUser Toggled { get; } = null!;

    public string LmtpSocket => Path.Combine(DovecotDirectory, "run", "lmtp");

    /// <summary>The first name of every account here: doveadm's user masks select them.</summary>
    public string AccountPrefix => Generation.Account("drhall-pg");

    /// <summary>The connection file the snippet includes: root's, mode 0600, the password in it.</summary>
    public string ConnectionFile => Path.Combine(Etc, "dovecot-root-helper-pgsql.conf.ext");

    /// <summary>A Unix account of this generation (<paramref name="name"/> and <paramref name="uid"/> as 2.3's) with its passdb line.</summary>
    protected TestUser Account(string name, int uid, string home)
    {
        TestUser user = UnixAccount(Generation.Account(name), Generation.AccountUid(uid), Path.Combine(home, Generation.Account(name)));
        AddUser(user.Name, user.Uid, user.Home);
        return user;
    }

    /// <summary>
    /// Puts the shipped snippet in Dovecot's config, or takes it out, leaving Dovecot its system userdb
    /// alone (as a site that forgot the include would run); reloads Dovecot and waits until its auth
    /// answers <see cref="Migrated"/> accordingly.
    /// </summary>
    public void SetSnippetIncluded(bool included)
    {
        string systemUserdb = Generation.Is24() ? "userdb passwd {\n}\n" : "userdb {\n  driver = passwd\n}\n";
        File.WriteAllText(SnippetInclude, included ? $"!include {_snippet}\n" : systemUserdb);
        Doveadm("reload");
        // The auth process that answers after the reload is a new one, reading the chain as it is now.
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (Doveadm("user", Migrated.Name).Contains("/IMAP", StringComparison.Ordinal) != included)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Dovecot's userdb still answers as {(included ? "without" : "with")} the pgsql snippet 30 s after the reload");
            Thread.Sleep(100);
        }
    }

    // What Dovecot's config includes where the snippet goes.
    private string SnippetInclude => Path.Combine(Root, "pgsql-snippet-include.conf");

    private string WriteDeliveryConfig()
    {
        string delivery = Path.Combine(Root, "delivery.conf");
        File.WriteAllText(delivery, AllServicesSandbox.DeliveryConfig(Generation));
        return delivery;
    }

    /// <summary>Stops Dovecot, then PostgreSQL (Dovecot's auth would log each lost connection).</summary>
    public new void Dispose()
    {
        try
        {
            base.Dispose();
        }
        finally
        {
            Database?.Dispose();
        }
        GC.SuppressFinalize(this);
    }
}

/// <summary>The pgsql userdb on Debian 12's Dovecot 2.3.</summary>
public sealed class PgsqlUserdbDovecot23() : PgsqlUserdbDovecot(DovecotGeneration.V23);

/// <summary>The pgsql userdb on Debian 13's Dovecot 2.4.1.</summary>
public sealed class PgsqlUserdbDovecot24() : PgsqlUserdbDovecot(DovecotGeneration.V24);

/// <summary>The pgsql userdb on Debian forky's Dovecot 2.4.5.</summary>
public sealed class PgsqlUserdbDovecot245() : PgsqlUserdbDovecot(DovecotGeneration.V245);
