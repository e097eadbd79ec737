using DovecotRootHelper.Posix;

namespace DovecotRootHelper.Migration.Tests;

/// <summary>
/// Several users migrated as one batch: one state write for all, one for the results, and one
/// user's failure halfway through their moves leaves the others migrated and that user at legacy
/// with every file back where it was.
/// </summary>
public sealed class BatchMigrationTests
{
    private const uint BobUid = 23002;

    // Puts a file of the user's at a destination just before the step that moves there: the move
    // is refused ("exists; not overwritten") after the batch's earlier steps for that user.
    private sealed class OccupyDestination(string user, string step, string path) : IMigrationObserver
    {
        public bool Occupied { get; private set; }

        public void PhaseStarted(string user, string description)
        {
        }

        public void StepStarted(string who, int index, int count, string description)
        {
            if (Occupied || who != user || description != step)
                return;
            File.WriteAllText(path, "bob's own file\n");
            TestHome.Chown(path, BobUid);
            Occupied = true;
        }
    }

    [Fact]
    public void OneUsersFailureHalfwayLeavesTheOthersMigratedAndThatUserAsBefore()
    {
        using var home = new TestHome();
        home.Mbox("Archive");
        home.Mbox("mail/Sent");
        home.Subscribe("Archive", "mail/Sent");
        string bob = Path.Combine(home.Root, "home", "bob");
        Bob(bob);
        home.SetState("alice\tlegacy\nbob\tlegacy");
        TreeSnapshot before = home.Snapshot();
        var bobBefore = Under(before, "home/bob/");

        var observer = new OccupyDestination("bob", "Sent -> IMAP/Sent", Path.Combine(bob, "IMAP", "Sent"));
        var migration = new UserMigration(home.Config, observer) { FindAccount = Accounts(home, bob) };
        BatchResult result = migration.MigrateBatch(["alice", "bob"], MailboxSelection.None);

        Assert.True(observer.Occupied);
        Assert.Equal(1, result.Migrated);
        BatchMemberResult alice = result.Members[0];
        BatchMemberResult failed = result.Members[1];
        Assert.Equal(State.UserState.Migrated, alice.FinalState);
        Assert.Null(failed.FinalState);
        Assert.Contains("IMAP/Sent: exists; not overwritten", failed.Error, StringComparison.Ordinal);
        Assert.Contains("its moves were undone, user back to legacy", failed.Error, StringComparison.Ordinal);
        // Nothing in the line contradicts that: no "left migrating", no resume to run.
        Assert.DoesNotContain("migrating", failed.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("resume", failed.Error, StringComparison.Ordinal);
        Assert.Equal(["alice\tmigrated", "bob\tlegacy"], StateLines(home));
        Assert.True(File.Exists(home.PathOf("IMAP/Archive")) && File.Exists(home.PathOf("IMAP/mail/Sent")));
        // Bob's tree is as it was but for the file he put there himself; no journal is left for him.
        var bobAfter = Under(home.Snapshot(), "home/bob/");
        Assert.Equal("bob's own file\n", File.ReadAllText(Path.Combine(bob, "IMAP", "Sent")));
        bobAfter.Remove("home/bob/IMAP/Sent");
        Assert.Equal(bobBefore, bobAfter);
        Assert.False(File.Exists(Path.Combine(home.Root, "journal", "bob.journal")));
        Assert.True(File.Exists(Path.Combine(home.Root, "journal", "alice.journal")));
    }

    // At the last step: Dovecot's subscriptions file recreated where the first move took it from
    // (Dovecot served the old root meanwhile), and a file of the user's at the last move's destination.
    private sealed class RebuildThenOccupy(TestHome home) : IMigrationObserver
    {
        public List<string> Steps { get; } = [];

        public void PhaseStarted(string user, string description)
        {
        }

        public void StepStarted(string who, int index, int count, string description)
        {
            Steps.Add(description);
            if (index != count - 1 || !description.StartsWith("Archive -> ", StringComparison.Ordinal))
                return;
            home.File(".subscriptions", "V\t2\n\nArchive\n");
            home.File("IMAP/Archive", "alice's own file\n");
        }
    }

    [Fact]
    public void AMembersUndoReportsWhatDovecotHadRecreatedAndWasSetAside()
    {
        using var home = new TestHome();
        home.Mbox("Archive");
        home.Subscribe("Archive");
        home.Directory("IMAP");
        home.SetState("alice\tlegacy");
        var observer = new RebuildThenOccupy(home);
        var migration = new UserMigration(home.Config, observer) { FindAccount = home.Migration.FindAccount };

        BatchResult result = migration.MigrateBatch([TestHome.User], MailboxSelection.None);

        Assert.Contains(".subscriptions -> IMAP/.subscriptions", observer.Steps);
        Assert.Contains("Archive -> IMAP/Archive", observer.Steps);
        BatchMemberResult alice = Assert.Single(result.Members);
        Assert.Null(alice.FinalState);
        Assert.Contains("its moves were undone, user back to legacy", alice.Error, StringComparison.Ordinal);
        string line = Assert.Single(alice.Messages, m => m.StartsWith("set aside what Dovecot had recreated: .subscriptions -> .imaproot-set-aside/", StringComparison.Ordinal));
        string aside = line[(line.IndexOf("-> ", StringComparison.Ordinal) + 3)..];
        Assert.Equal("V\t2\n\nArchive\n", File.ReadAllText(home.PathOf(aside)));
        Assert.Equal("V\t2\n\nArchive\n", File.ReadAllText(home.PathOf(".subscriptions")));
        Assert.Equal(["alice\tlegacy"], StateLines(home));
    }

    [Fact]
    public void TheStateFileIsWrittenTwicePerBatchWhateverItsSize()
    {
        using var home = new TestHome();
        home.Mbox("Archive");
        home.Subscribe("Archive");
        string bob = Path.Combine(home.Root, "home", "bob");
        Bob(bob);
        home.SetState("alice\tlegacy\nbob\tlegacy");
        var renames = new List<string>();
        using var sentinelSeen = new ManualResetEventSlim();
        using var watcher = new FileSystemWatcher(home.Root) { NotifyFilter = NotifyFilters.FileName, EnableRaisingEvents = true };
        watcher.Renamed += (_, e) =>
        {
            lock (renames)
                renames.Add(e.Name!);
            if (e.Name == "sentinel")
                sentinelSeen.Set();
        };
        var migration = new UserMigration(home.Config) { FindAccount = Accounts(home, bob) };

        BatchResult result = migration.MigrateBatch(["alice", "bob"], MailboxSelection.None);

        Assert.Equal(2, result.Migrated);
        Assert.Equal(["alice\tmigrated", "bob\tmigrated"], StateLines(home));
        // inotify reports in order: once a rename made after the batch is seen, all of the batch's are.
        File.WriteAllText(Path.Combine(home.Root, "sentinel.tmp"), "");
        File.Move(Path.Combine(home.Root, "sentinel.tmp"), Path.Combine(home.Root, "sentinel"));
        Assert.True(sentinelSeen.Wait(TimeSpan.FromSeconds(30)));
        // The state file is replaced by rename: once for "all migrating", once for the results.
        lock (renames)
            Assert.Equal(2, renames.Count(n => n == "state"));
    }

    private static void Bob(string bob)
    {
        Directory.CreateDirectory(Path.Combine(bob, "IMAP"));
        File.WriteAllText(Path.Combine(bob, "Sent"), "From bob@example.org Sat Jan  1 00:00:00 2000\nSubject: sent\n\nsent\n");
        File.WriteAllText(Path.Combine(bob, "Drafts"), "");
        File.WriteAllText(Path.Combine(bob, ".subscriptions"), "V\t2\n\nDrafts\nSent\n");
        foreach (string path in new[] { bob, Path.Combine(bob, "IMAP"), Path.Combine(bob, "Sent"), Path.Combine(bob, "Drafts"), Path.Combine(bob, ".subscriptions") })
            TestHome.Chown(path, BobUid);
        File.SetUnixFileMode(bob, (UnixFileMode)0x1C0);
    }

    private static Func<string, UnixAccount?> Accounts(TestHome home, string bob) => name => name switch
    {
        TestHome.User => new UnixAccount(TestHome.User, TestHome.Uid, TestHome.Gid, home.Home),
        "bob" => new UnixAccount("bob", BobUid, BobUid, bob),
        _ => null,
    };

    private static string[] StateLines(TestHome home) =>
        [.. File.ReadAllLines(Path.Combine(home.Root, "state")).Select(l => string.Join('\t', l.Split('\t')[..2]))];

    private static Dictionary<string, TreeSnapshot.Entry> Under(TreeSnapshot snapshot, string prefix) =>
        snapshot.Entries.Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary();
}
