using DovecotRootHelper.EndToEnd.Tests.Infrastructure;
using MailKit;
using MailKit.Net.Imap;
using Xunit.Abstractions;

namespace DovecotRootHelper.EndToEnd.Tests;

/// <summary>
/// Issue 10, "Logins during migrations": IMAP clients log in, LIST, STATUS every mailbox and log
/// out in a loop while imaproot migrates and rolls back two users again and again. Every complete
/// session sees exactly the whole old root or the whole new one (mailbox names and message counts);
/// the others are refused with [UNAVAILABLE] or closed by the migration's kick. Never a mixture,
/// never an empty root. DRH_LOAD_CYCLES sets the migrate/rollback cycles (default 2; the longer
/// run in docs/performance.md used 10).
/// </summary>
public abstract class LoginsDuringMigrations(MigrationDovecot dovecot, ITestOutputHelper output)
{
    private const int Clients = 3;

    [Fact]
    public async Task EveryCompleteSessionSeesTheWholeOldOrTheWholeNewRoot()
    {
        int cycles = int.TryParse(Environment.GetEnvironmentVariable("DRH_LOAD_CYCLES"), out int n) && n > 0 ? n : 2;
        TestUser[] users = [dovecot.Alice, dovecot.Bob];
        foreach (TestUser user in users)
            MailboxUse.SelectFlagAndSubscribe(dovecot, user, MigrationDovecot.Mailboxes.Keys, MigrationDovecot.Subscribed);
        // The two views a client may see: the $HOME root (mailboxes and clutter) and the IMAP root.
        Dictionary<string, string> legacy = users.ToDictionary(u => u.Name, View);
        foreach (TestUser user in users)
            dovecot.Imaproot("migrate", user.Name, "--yes").Succeeded();
        Dictionary<string, string> migrated = users.ToDictionary(u => u.Name, View);
        Assert.NotEqual(legacy[dovecot.Alice.Name], migrated[dovecot.Alice.Name]);

        var tally = new Tally();
        using var stop = new CancellationTokenSource();
        Task[] clients = [.. Enumerable.Range(0, Clients).Select(i => Task.Run(() =>
        {
            for (int round = 0; !stop.IsCancellationRequested; round++)
            {
                TestUser user = users[(i + round) % users.Length];
                tally.Add(OneSession(user, legacy[user.Name], migrated[user.Name]));
            }
        }))];

        for (int cycle = 0; cycle < cycles; cycle++)
        {
            foreach (TestUser user in users)
                dovecot.Imaproot("rollback", user.Name).Succeeded();
            foreach (TestUser user in users)
                dovecot.Imaproot("migrate", user.Name, "--yes").Succeeded();
        }
        // Sessions after the last migration, so that every client ends on the settled new root.
        tally.WaitForMoreComplete(Clients * 2, TimeSpan.FromMinutes(2));
        stop.Cancel();
        await Task.WhenAll(clients).WaitAsync(TimeSpan.FromMinutes(2));

        output.WriteLine($"{cycles} migrate/rollback cycles of 2 users, {Clients} clients on Dovecot {dovecot.Generation}: {tally}");
        Assert.Empty(tally.Mixtures);
        Assert.Empty(tally.Errors);
        Assert.True(tally.Old > 0 && tally.New > 0, tally.ToString());
    }

    private Outcome OneSession(TestUser user, string legacy, string migrated)
    {
        using var transcript = new MemoryStream();
        bool loggedIn = false;
        try
        {
            using ImapClient client = MailClients.Imap(dovecot, transcript);
            client.Authenticate(user.Name, TestUser.Password);
            loggedIn = true;
            string seen = View(client);
            client.Disconnect(quit: true);
            return seen == legacy ? Outcome.Old : seen == migrated ? Outcome.New : Outcome.Mixture(user.Name, seen);
        }
        catch (Exception e) when (e is ImapProtocolException or ImapCommandException or IOException or ServiceNotConnectedException or ServiceNotAuthenticatedException or FolderNotFoundException or MailKit.Security.AuthenticationException)
        {
            string text = MailClients.Text(transcript);
            if (text.Contains("[UNAVAILABLE]", StringComparison.Ordinal))
                return Outcome.Refused;
            // A session the migration's kick closed: what it saw is not complete, so it says nothing.
            return loggedIn ? Outcome.Closed : Outcome.Error($"{user.Name}: {e.GetType().Name}: {e.Message}\n{text}");
        }
    }

    // What one settled login shows of a user's root.
    private string View(TestUser user)
    {
        using var transcript = new MemoryStream();
        using ImapClient client = MailClients.Imap(dovecot, transcript);
        client.Authenticate(user.Name, TestUser.Password);
        string view = View(client);
        client.Disconnect(quit: true);
        return view;
    }

    // Every mailbox LIST "" "*" gives with its STATUS message count, sorted: "-" for one that cannot
    // hold mail, "not mail" for a file of the $HOME root that Dovecot lists but cannot open.
    private static string View(ImapClient client)
    {
        var counts = new List<string>();
        foreach (IMailFolder folder in client.GetFolders(client.PersonalNamespaces[0]).OrderBy(f => f.FullName, StringComparer.Ordinal))
        {
            if (folder.Attributes.HasFlag(FolderAttributes.NoSelect))
            {
                counts.Add($"{folder.FullName} -");
                continue;
            }
            try
            {
                folder.Status(StatusItems.Count);
                counts.Add($"{folder.FullName} {folder.Count}");
            }
            catch (ImapCommandException)
            {
                counts.Add($"{folder.FullName} not mail");
            }
        }
        return string.Join('\n', counts);
    }

    private sealed record Outcome(string Kind, string? Detail = null)
    {
        public static readonly Outcome Old = new("old");
        public static readonly Outcome New = new("new");
        public static readonly Outcome Refused = new("refused");
        public static readonly Outcome Closed = new("closed");

        public static Outcome Mixture(string user, string seen) => new("mixture", $"{user} saw:\n{seen}");

        public static Outcome Error(string what) => new("error", what);
    }

    private sealed class Tally
    {
        private readonly Lock _lock = new();
        private int _newSinceMark;

        public int Old { get; private set; }

        public int New { get; private set; }

        public int Refused { get; private set; }

        public int Closed { get; private set; }

        public List<string> Errors { get; } = [];

        public List<string> Mixtures { get; } = [];

        public void Add(Outcome outcome)
        {
            lock (_lock)
            {
                switch (outcome.Kind)
                {
                    case "old": Old++; break;
                    case "new": New++; _newSinceMark++; break;
                    case "refused": Refused++; break;
                    case "closed": Closed++; break;
                    case "mixture": Mixtures.Add(outcome.Detail!); break;
                    default: Errors.Add(outcome.Detail!); break;
                }
            }
        }

        public void WaitForMoreComplete(int count, TimeSpan deadline)
        {
            lock (_lock)
                _newSinceMark = 0;
            DateTime until = DateTime.UtcNow + deadline;
            while (DateTime.UtcNow < until)
            {
                lock (_lock)
                {
                    if (_newSinceMark >= count)
                        return;
                }
                Thread.Sleep(50);
            }
        }

        public override string ToString()
        {
            lock (_lock)
                return $"{Old + New + Refused + Closed + Mixtures.Count + Errors.Count} sessions: {Old} saw the old root, {New} the new root, {Refused} refused with [UNAVAILABLE], {Closed} closed by a kick, {Mixtures.Count} mixtures, {Errors.Count} errors";
        }
    }
}

public sealed class LoginsDuringMigrationsOnDovecot23(MigrationDovecot23 dovecot, ITestOutputHelper output) : LoginsDuringMigrations(dovecot, output), IClassFixture<MigrationDovecot23>;

public sealed class LoginsDuringMigrationsOnDovecot24(MigrationDovecot24 dovecot, ITestOutputHelper output) : LoginsDuringMigrations(dovecot, output), IClassFixture<MigrationDovecot24>;

public sealed class LoginsDuringMigrationsOnDovecot245(MigrationDovecot245 dovecot, ITestOutputHelper output) : LoginsDuringMigrations(dovecot, output), IClassFixture<MigrationDovecot245>;
