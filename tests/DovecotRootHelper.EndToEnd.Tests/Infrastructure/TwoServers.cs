using System.Globalization;
using MailKit.Net.Imap;

namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Two private Dovecots of one generation on 127.0.0.1, with their own ports and base directories,
/// serving the same homes and spool and reading the same hook config and state file: two servers on
/// shared storage. imaproot runs with that one config; its kick and who are <c>sessions.sh</c>, which
/// runs doveadm against each server it is given, the way an administrator's script would reach every
/// server of a real site. Real Unix accounts with fixed names, one set per generation: one such pair
/// per generation at a time. With a doveadm password (<see cref="DoveadmPassword"/>) each server also
/// has doveadm's TCP listener open, for kick, who and flush over Dovecot's doveadm protocol.
/// </summary>
public abstract class TwoServers : IDisposable
{
    /// <summary>The accounts' names after their prefix (<see cref="DovecotGenerationExtensions.Account"/> for the 2.4s').</summary>
    private static readonly string[] Roles = ["mover", "held", "stay", "blind"];

    private readonly List<string> _accounts = [];

    /// <summary>The state file both servers start from: every account, legacy.</summary>
    private static string InitialState(DovecotGeneration generation, string prefix) =>
        "# dovecot-root-helper state file (two servers, one state)\n"
        + string.Concat(Roles.Select(role => $"{generation.Account($"{prefix}-{role}")} legacy\n"));

    /// <summary>Every mailbox each user has, on-disk name to message count; INBOX is in the spool.</summary>
    public static readonly IReadOnlyDictionary<string, int> Mailboxes = new Dictionary<string, int>
    {
        ["mail/Archive"] = 3,
        ["mail/Lists/debian"] = 2,
        ["Sent"] = 2,
    };

    /// <param name="prefix">The accounts' names start with it (a test account prefix), one per fixture class.</param>
    /// <param name="firstUid">The 2.3 uid of the first of the four accounts.</param>
    /// <param name="doveadmPassword">When given, both servers' doveadm listens over TCP with it.</param>
    protected TwoServers(DovecotGeneration generation, string prefix = "drhmig-two", int firstUid = 22461, string? doveadmPassword = null)
    {
        DoveadmPassword = doveadmPassword;
        First = new SharedStorageServer(generation, InitialState(generation, prefix), sharing: null, doveadmPassword);
        try
        {
            Second = new SharedStorageServer(generation, InitialState(generation, prefix), sharing: First, doveadmPassword);
            SessionsScript = Path.Combine(First.Root, "sessions.sh");
            File.WriteAllText(SessionsScript, SessionsScriptText());
            File.SetUnixFileMode(SessionsScript, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            if (doveadmPassword is null)
                UseCommands(kickOn: [First, Second], whoOn: [First.DovecotDirectory, Second.DovecotDirectory]);
            else
                UseDoveadmProtocol([First.DoveadmServer, Second.DoveadmServer], doveadmPassword);
            string home = Path.Combine(First.DovecotDirectory, "home");
            TestUser[] users = [.. Roles.Select((role, i) => Account(generation.Account($"{prefix}-{role}"), generation.AccountUid(firstUid + i), home))];
            (Mover, Held, Stay, Blind) = (users[0], users[1], users[2], users[3]);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Owns the hook's config, the state file and the spool; imaproot runs with its config.</summary>
    public SharedStorageServer First { get; }

    public SharedStorageServer Second { get; }

    public SharedStorageServer[] Servers => [First, Second];

    public string SessionsScript { get; }

    /// <summary>Both servers' doveadm_password, or null when their doveadm has no TCP listener.</summary>
    public string? DoveadmPassword { get; }

    /// <summary>Migrated with a session open on each server.</summary>
    public TestUser Mover { get; }

    /// <summary>Migrated while the kick is held, so that both servers can be asked during the migration.</summary>
    public TestUser Held { get; }

    /// <summary>Has a session the kick does not reach.</summary>
    public TestUser Stay { get; }

    /// <summary>Has a session on a server who cannot ask.</summary>
    public TestUser Blind { get; }

    /// <summary>While this file exists the kick of <paramref name="user"/> waits (after creating <see cref="HeldMarker"/>).</summary>
    public string HoldFile(TestUser user) => Path.Combine(First.Root, "hold-" + user.Name);

    /// <summary>Created by the kick of <paramref name="user"/> when it starts waiting: the user is <c>migrating</c> then.</summary>
    public string HeldMarker(TestUser user) => Path.Combine(First.Root, "held-" + user.Name);

    /// <summary>The published imaproot with the config both servers read.</summary>
    public ImaprootRun Imaproot(params string[] arguments) => Infrastructure.Imaproot.Run(First.ConfigPath, arguments);

    /// <summary>Configures imaproot's kick for the servers <paramref name="kickOn"/> and who for the Dovecot directories <paramref name="whoOn"/>.</summary>
    public void UseCommands(SharedStorageServer[] kickOn, string[] whoOn, int kickTimeoutSeconds = 60) =>
        First.WriteMigrationSection(
            $"{SessionsScript} kick %u {string.Join(' ', kickOn.Select(s => s.DovecotDirectory))}",
            $"{SessionsScript} who %u {string.Join(' ', whoOn)}",
            kickTimeoutSeconds);

    /// <summary>The file imaproot reads the doveadm password from (<c>[migration] doveadm-password-file</c>).</summary>
    public string PasswordFile => Path.Combine(First.Etc, "doveadm-password");

    /// <summary>
    /// Configures imaproot to kick, ask who and flush on <paramref name="servers"/> (<c>host:port</c>)
    /// over the doveadm protocol with <paramref name="password"/>, written as the password file (0600).
    /// </summary>
    public void UseDoveadmProtocol(string[] servers, string password, int kickTimeoutSeconds = 60)
    {
        File.WriteAllText(PasswordFile, password + "\n");
        File.SetUnixFileMode(PasswordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        First.WriteDoveadmMigrationSection(servers, PasswordFile, kickTimeoutSeconds);
    }

    /// <summary>
    /// Migrates <paramref name="user"/> with an IMAP session open on each server and checks that
    /// both sessions were closed, the state says migrated, the mailboxes moved and both servers show
    /// the same mail as before; returns imaproot's run. The caller rolls back.
    /// </summary>
    public ImaprootRun MigrateWithASessionOnEachServer(TestUser user)
    {
        string[] before = Prepare(user);
        using var transcriptA = new MemoryStream();
        using var transcriptB = new MemoryStream();
        using ImapClient onFirst = OpenSession(First, user, transcriptA);
        using ImapClient onSecond = OpenSession(Second, user, transcriptB);
        Assert.All(Servers, server => Assert.Single(server.Sessions(user)));

        ImaprootRun run = Imaproot("migrate", "--yes", user.Name).Succeeded();

        Assert.All(Servers, server => Assert.Empty(server.Sessions(user)));
        Assert.ThrowsAny<Exception>(() => onFirst.NoOp());
        Assert.ThrowsAny<Exception>(() => onSecond.NoOp());
        Assert.Contains($"{user.Name}\tmigrated", File.ReadAllText(First.StatePath), StringComparison.Ordinal);
        AssertMailboxesUnder(user, Path.Combine(user.Home, "IMAP"), movedAway: user.Home);
        Assert.All(Servers, server => Assert.Equal(before, MailClients.MessageCounts(server, user)));
        return run;
    }

    /// <summary>Selects and subscribes the user's mailboxes (the evidence imaproot moves by); returns what both servers show, which must agree.</summary>
    public string[] Prepare(TestUser user)
    {
        MailboxUse.SelectFlagAndSubscribe(First, user, Mailboxes.Keys, ["mail/Archive"]);
        string[] counts = MailClients.MessageCounts(First, user);
        Assert.Contains("mail/Archive 3", counts);
        Assert.Equal(counts, MailClients.MessageCounts(Second, user));
        return counts;
    }

    /// <summary>Logs the user in on <paramref name="server"/> and opens mail/Archive read-write: a session holding an mbox open.</summary>
    public static ImapClient OpenSession(SharedStorageServer server, TestUser user, MemoryStream transcript) =>
        MailClients.Session(server, user, "mail/Archive", transcript);

    /// <summary>The user is legacy, every mailbox still in the home, and both servers show the mail of <paramref name="before"/>.</summary>
    public void AssertLegacyAndUnmoved(TestUser user, string[] before)
    {
        Assert.Contains($"{user.Name}: legacy", Imaproot("status", user.Name).Succeeded().Stdout, StringComparison.Ordinal);
        AssertMailboxesUnder(user, user.Home, movedAway: Path.Combine(user.Home, "IMAP"));
        Assert.All(Servers, server => Assert.Equal(before, MailClients.MessageCounts(server, user)));
    }

    public static void AssertMailboxesUnder(TestUser user, string root, string movedAway)
    {
        foreach (string mailbox in Mailboxes.Keys)
        {
            Assert.True(File.Exists(Path.Combine(root, mailbox)), $"{mailbox} is not under {root}");
            Assert.False(File.Exists(Path.Combine(movedAway, mailbox)), $"{mailbox} is still under {movedAway}");
        }
    }

    public void Dispose()
    {
        try
        {
            Second?.Dispose();
        }
        finally
        {
            First.Dispose();
            foreach (string name in _accounts)
                UnixTestAccount.Remove(name);
        }
        GC.SuppressFinalize(this);
    }

    private TestUser Account(string name, int uid, string home)
    {
        TestUser user = UnixTestAccount.Ensure(name, uid, Path.Combine(home, name));
        _accounts.Add(name);
        First.Add(user);
        Second.Add(user);
        foreach (KeyValuePair<string, int> mailbox in Mailboxes)
        {
            string messages = string.Concat(Enumerable.Range(1, mailbox.Value).Select(n => MailTree.Message($"{mailbox.Key} {n}")));
            MailTree.AddFile(user, user.Home, mailbox.Key, messages);
        }
        return user;
    }

    /// <summary>
    /// <c>sessions.sh kick|who USER DOVECOT-DIR...</c>: doveadm kick, or who in the flow format, for
    /// the user on every server given; exits non-zero when any doveadm fails (2.3's kick exits 68 when
    /// it found no session: nothing to close is not a failure), so that imaproot fails closed.
    /// </summary>
    private string SessionsScriptText() => string.Create(CultureInfo.InvariantCulture, $$"""
        #!/bin/sh
        verb=$1 user=$2
        shift 2
        if [ "$verb" = kick ] && [ -e "{{First.Root}}/hold-$user" ]; then
            : > "{{First.Root}}/held-$user"
            while [ -e "{{First.Root}}/hold-$user" ]; do sleep 0.1; done
        fi
        status=0
        for dir in "$@"; do
            case $verb in
            kick)
                {{RepositoryLayout.PrivateDovecotScript}} doveadm "$dir" kick "$user" >/dev/null
                rc=$?
                [ $rc = 0 ] || [ $rc = 68 ] || status=$rc
                ;;
            who)
                {{RepositoryLayout.PrivateDovecotScript}} doveadm "$dir" -f flow who -1 "$user" || status=$?
                ;;
            *)
                echo "sessions.sh: kick or who, not $verb" >&2
                exit 64
                ;;
            esac
        done
        exit $status

        """);
}

/// <summary>Two Debian 12 Dovecot 2.3 servers.</summary>
public sealed class TwoServers23() : TwoServers(DovecotGeneration.V23);

/// <summary>Two Debian 13 Dovecot 2.4 servers, each in its own namespace of the cached Debian 13 tree.</summary>
public sealed class TwoServers24() : TwoServers(DovecotGeneration.V24);

/// <summary>Two Debian forky Dovecot 2.4.5 servers, each in its own namespace of the cached forky tree.</summary>
public sealed class TwoServers245() : TwoServers(DovecotGeneration.V245);

/// <summary>Two Debian 12 Dovecot 2.3 servers whose doveadm listens on TCP with a password.</summary>
public sealed class DoveadmServers23() : TwoServers(DovecotGeneration.V23, "drhmig-rda", 22471, "doveadm-secret-23");

/// <summary>Two Debian 13 Dovecot 2.4.1 servers whose doveadm listens on TCP with a password.</summary>
public sealed class DoveadmServers24() : TwoServers(DovecotGeneration.V24, "drhmig-rda", 22471, "doveadm-secret-24");

/// <summary>Two Debian forky Dovecot 2.4.5 servers whose doveadm listens on TCP with a password.</summary>
public sealed class DoveadmServers245() : TwoServers(DovecotGeneration.V245, "drhmig-rda", 22471, "doveadm-secret-245");
