using DovecotRootHelper.Migration;
using DovecotRootHelper.Posix;

namespace DovecotRootHelper.Cli.Tests;

/// <summary>
/// The migration tests' <see cref="TestHome"/> (alice, uid 23001, in a temporary directory) with
/// mbox mailboxes, indexes, subscriptions and clutter, listed legacy, and imaproot run in this
/// process over the real library. Only the account lookup is the test's (as in the migration
/// tests): getpwnam would need a real account; the published binary's tests use one.
/// </summary>
public sealed class CliHome : IDisposable
{
    private readonly Dictionary<string, UnixAccount> _others = new(StringComparer.Ordinal);
    private readonly HashSet<string> _unanswered = new(StringComparer.Ordinal);

    public CliHome(string kick = "/bin/true %u", string who = "/bin/true")
    {
        Home = new TestHome(who);
        File.WriteAllText(Home.ConfigPath, File.ReadAllText(Home.ConfigPath).Replace("kick = /bin/true %u", "kick = " + kick, StringComparison.Ordinal));
        Home.Mbox("Archive", "archive");
        Home.Index("Archive");
        Home.Mbox("mail/Sent", "sent");
        Home.Index("mail/Sent");
        Home.File("mail/notes.txt", "not mail");
        Home.File(".bashrc", "export EDITOR=vi\n");
        Home.Subscribe("Archive", "mail/Sent");
        Home.SetState(TestHome.User + "\tlegacy");
    }

    public TestHome Home { get; }

    public string StatePath => Path.Combine(Home.Root, "state");

    public string State => File.ReadAllText(StatePath);

    /// <summary>Every object in alice's home, by path relative to it (the state file and journals live outside).</summary>
    public SortedDictionary<string, TreeSnapshot.Entry> Tree => Oracle.Home(Home.Snapshot());

    /// <summary>Another account (not in the state file) whose home beside alice's holds one subscribed mbox, Archive.</summary>
    public void AddAccount(string user, uint uid)
    {
        string home = Path.Combine(Home.Root, "home", user);
        Directory.CreateDirectory(home);
        File.WriteAllText(Path.Combine(home, "Archive"), $"From {user}@example.org Sat Jan  1 00:00:00 2000\nSubject: {user}\n\n{user}\n");
        File.WriteAllText(Path.Combine(home, ".subscriptions"), "V\t2\n\nArchive\n");
        foreach (string path in new[] { home, Path.Combine(home, "Archive"), Path.Combine(home, ".subscriptions") })
        {
            File.SetUnixFileMode(path, (UnixFileMode)(path == home ? 0x1C0 : 0x180));
            if (Mono.Unix.Native.Syscall.lchown(path, uid, uid) != 0)
                throw new IOException("lchown " + path);
        }
        _others[user] = new UnixAccount(user, uid, uid, home);
    }

    /// <summary>The account is gone (userdel): the lookup says there is no such user.</summary>
    public void RemoveAccount(string user) => _others.Remove(user);

    /// <summary>The account database does not answer for the user (an LDAP outage): the lookup throws, as getpwnam_r's error does.</summary>
    public void FailLookup(string user) => _unanswered.Add(user);

    /// <summary>
    /// What a migrate killed after <paramref name="stepsDone"/> steps leaves (as the migration
    /// tests' crash tests build it): alice migrating, the journal written, those steps done by the
    /// library's own step runner and recorded. Returns the plan.
    /// </summary>
    public MigrationPlan InterruptedMigration(int stepsDone)
    {
        MigrationPlan plan = Home.Migration.Plan(TestHome.User, MailboxSelection.None);
        Assert.True(plan.CanExecute);
        Assert.InRange(stepsDone, 0, plan.Steps.Count);
        Home.SetState(TestHome.User + "\tmigrating");
        Journal journal = Journal.Create(Home.Config.Migration.JournalDirectory, plan);
        using var tree = new HomeTree(Home.Home);
        var runner = new StepRunner(tree, plan);
        for (int i = 0; i < stepsDone; i++)
        {
            runner.Do(plan.Steps[i]);
            journal.RecordStep(i);
        }
        journal.SavePending();
        return plan;
    }

    public CliRun Run(params string[] arguments) => Run(arguments, "", terminal: false);

    public CliRun Run(string[] arguments, string stdin, bool terminal) =>
        InProcessImaproot.Run(Home.ConfigPath, FindAccount, arguments, stdin, terminal);

    /// <summary>imaproot with another config over the same homes and accounts: a second admin host.</summary>
    public CliRun RunWith(string config, params string[] arguments) => InProcessImaproot.Run(config, FindAccount, arguments, "", false);

    public void Dispose() => Home.Dispose();

    private UnixAccount? FindAccount(string user) =>
        _unanswered.Contains(user) ? throw new IOException($"getpwnam_r {user}: Input/output error (EIO): the account database did not answer")
        : _others.TryGetValue(user, out UnixAccount? account) ? account : Home.Migration.FindAccount(user);
}
