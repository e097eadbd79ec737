namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Two mail servers of one generation that are also two admin hosts (<see cref="PgsqlMailHost"/>),
/// sharing the homes and the spool and ONE private PostgreSQL: both Dovecots read the user's root
/// from its table through the pgsql snippet, both hosts' imaproot keep the state there and kick,
/// ask who and flush on both servers over the doveadm protocol. The first host reaches the second's
/// doveadm through a <see cref="DoveadmGate"/>, so that a test can hold its migration while the user
/// is migrating. One journal directory on the shared storage, as the homes whose moves it records:
/// either host can roll back or resume what the other began, and the race between the two hosts is
/// still the database's to decide (the user lock is a PostgreSQL advisory lock, not a file).
/// Real Unix accounts with fixed names, one set per generation.
/// </summary>
public abstract class TwoPgsqlHosts : IDisposable
{
    /// <summary>Every mailbox each user has at the legacy root, on-disk name to message count; INBOX is in the spool.</summary>
    public static readonly IReadOnlyDictionary<string, int> Mailboxes = new Dictionary<string, int>
    {
        ["Archive"] = 3,
        ["Lists/debian"] = 2,
        ["Sent"] = 2,
    };

    /// <param name="firstUid">The 2.3 uid of the first account.</param>
    protected TwoPgsqlHosts(DovecotGeneration generation, string doveadmPassword, string prefix = "drhmig-tph", int firstUid = 22481)
    {
        First = new PgsqlMailHost(generation, doveadmPassword, sharing: null);
        try
        {
            Second = new PgsqlMailHost(generation, doveadmPassword, sharing: First);
            Gate = new DoveadmGate(Second.DoveadmPort);
            JournalDirectory = Path.Combine(First.Root, "shared-journal");
            First.AppendDoveadmMigrationSection(JournalDirectory, [First.DoveadmServer, Gate.Server]);
            Second.AppendDoveadmMigrationSection(JournalDirectory, [First.DoveadmServer, Second.DoveadmServer]);
            string home = Path.Combine(First.DovecotDirectory, "home");
            Mover = Account(generation.Account($"{prefix}-mover"), generation.AccountUid(firstUid), home);
            Racer = Account(generation.Account($"{prefix}-racer"), generation.AccountUid(firstUid + 1), home);
            Batched = [.. Enumerable.Range(1, 3).Select(n => Account(generation.Account($"{prefix}-batch{n}"), generation.AccountUid(firstUid + 1 + n), home))];
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Created the database; owns the homes and the spool. Its imaproot reaches the second server through <see cref="Gate"/>.</summary>
    public PgsqlMailHost First { get; }

    public PgsqlMailHost Second { get; } = null!;

    public PgsqlMailHost[] Hosts => [First, Second];

    /// <summary>Between the first host's imaproot and the second server's doveadm.</summary>
    public DoveadmGate Gate { get; } = null!;

    /// <summary>Both hosts' <c>[migration] journal-dir</c>.</summary>
    public string JournalDirectory { get; } = "";

    /// <summary>Migrated with a session open on each server; each test leaves it legacy.</summary>
    public TestUser Mover { get; } = null!;

    /// <summary>Migrated by both hosts at once; each test leaves it legacy.</summary>
    public TestUser Racer { get; } = null!;

    /// <summary>Migrated in batches and by run-due from both hosts at once; each test leaves them legacy.</summary>
    public TestUser[] Batched { get; } = [];

    /// <summary>The user's state in imaproot.user_state, or "" when the table does not list the user.</summary>
    public string StateInTable(TestUser user) =>
        First.Database.Query($"SELECT state FROM imaproot.user_state WHERE user_name = '{user.Name}'").Trim();

    public void Dispose()
    {
        try
        {
            Gate?.Dispose();
            Second?.Dispose();
        }
        finally
        {
            First.Dispose();
        }
        GC.SuppressFinalize(this);
    }

    private TestUser Account(string name, int uid, string home)
    {
        TestUser user = First.Account(name, uid, Path.Combine(home, name));
        Second.Add(user);
        foreach (KeyValuePair<string, int> mailbox in Mailboxes)
            MailTree.AddFile(user, user.Home, mailbox.Key, string.Concat(Enumerable.Range(1, mailbox.Value).Select(n => MailTree.Message($"{mailbox.Key} {n}"))));
        return user;
    }
}

/// <summary>On two Debian 12 Dovecot 2.3 servers.</summary>
public sealed class TwoPgsqlHosts23() : TwoPgsqlHosts(DovecotGeneration.V23, "doveadm-secret-pg-23");

/// <summary>On two Debian 13 Dovecot 2.4.1 servers.</summary>
public sealed class TwoPgsqlHosts24() : TwoPgsqlHosts(DovecotGeneration.V24, "doveadm-secret-pg-24");

/// <summary>On two Debian forky Dovecot 2.4.5 servers.</summary>
public sealed class TwoPgsqlHosts245() : TwoPgsqlHosts(DovecotGeneration.V245, "doveadm-secret-pg-245");
