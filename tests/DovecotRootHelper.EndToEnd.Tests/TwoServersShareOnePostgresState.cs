using System.Diagnostics;
using DovecotRootHelper.EndToEnd.Tests.Infrastructure;
using MailKit.Net.Imap;
using Xunit.Abstractions;

namespace DovecotRootHelper.EndToEnd.Tests;

/// <summary>
/// Issue 21: two Dovecots and one PostgreSQL, two imaproot processes as two admin hosts
/// (<see cref="TwoPgsqlHosts"/>). One host migrates a user with an IMAP session open on each server:
/// while it migrates both servers refuse the user (they read the same row), both sessions are
/// closed over the doveadm protocol, and afterwards both servers serve the moved root with the same
/// mailboxes and counts; the other host rolls it back. The two hosts migrating one user at once:
/// exactly one proceeds, the other is refused by the user lock in the database. A batch on each host
/// over overlapping users, and run-due on both at once: each user migrated once, served by both.
/// </summary>
public abstract class TwoServersShareOnePostgresState<THosts>(THosts hosts, ITestOutputHelper output) : IClassFixture<THosts>
    where THosts : TwoPgsqlHosts
{
    private static readonly TimeSpan GateWait = TimeSpan.FromSeconds(30);

    [Fact]
    public void OneHostMigratesWithASessionOnEachServerAndBothServeTheMovedRoot()
    {
        TestUser user = hosts.Mover;
        string[] before = SameOnBothServers(user);
        try
        {
            using var transcriptA = new MemoryStream();
            using var transcriptB = new MemoryStream();
            using ImapClient onFirst = MailClients.Session(hosts.First, user, "Archive", transcriptA);
            using ImapClient onSecond = MailClients.Session(hosts.Second, user, "Archive", transcriptB);
            Assert.All(hosts.Hosts, host => Assert.Single(host.Sessions(user)));

            var clock = Stopwatch.StartNew();
            ImaprootRun migrate = WhileHeldAtTheGate(() => hosts.First.Imaproot("migrate", "--yes", user.Name), () =>
            {
                Assert.Equal("migrating", hosts.StateInTable(user));
                foreach (PgsqlMailHost host in hosts.Hosts)
                {
                    using RawLineClient imap = RawLineClient.Connect(host.ImapPort);
                    imap.Send($"a LOGIN {user.Name} {TestUser.Password}");
                    Assert.Equal($"a NO [UNAVAILABLE] {PgsqlUserdbDovecot.MigratingReason}", imap.ReadLine());
                }
            });
            migrate.Succeeded();
            output.WriteLine($"imaproot migrate (held at the gate meanwhile): {clock.ElapsedMilliseconds} ms\n{migrate.Stdout}{migrate.Stderr}");

            Assert.All(hosts.Hosts, host => Assert.Empty(host.Sessions(user)));
            Assert.ThrowsAny<Exception>(() => onFirst.NoOp());
            Assert.ThrowsAny<Exception>(() => onSecond.NoOp());
            Assert.Equal("migrated", hosts.StateInTable(user));
            AssertMailboxesUnder(user, Path.Combine(user.Home, "IMAP"), movedAway: user.Home);
            Assert.All(hosts.Hosts, host => Assert.Equal(before, MailClients.MessageCounts(host, user)));
            Assert.All(hosts.Hosts, host => Assert.Contains(Path.Combine(user.Home, "IMAP"), RootInDoveadmUser(host, user), StringComparison.Ordinal));

            // The journal is on the shared storage: the other host rolls back what the first did.
            clock.Restart();
            hosts.Second.Imaproot("rollback", user.Name).Succeeded();
            output.WriteLine($"imaproot rollback on the other host: {clock.ElapsedMilliseconds} ms");
            Assert.Equal("legacy", hosts.StateInTable(user));
            AssertMailboxesUnder(user, user.Home, movedAway: Path.Combine(user.Home, "IMAP"));
            Assert.All(hosts.Hosts, host => Assert.Equal(before, MailClients.MessageCounts(host, user)));
        }
        finally
        {
            BackToLegacy(user);
        }
    }

    [Fact]
    public async Task TwoHostsMigratingOneUserLetExactlyOneProceed()
    {
        TestUser user = hosts.Racer;
        string[] before = SameOnBothServers(user);
        try
        {
            // Held: the first host has the user migrating and its lock taken when the second one asks.
            ImaprootRun? second = null;
            ImaprootRun first = WhileHeldAtTheGate(() => hosts.First.Imaproot("migrate", "--yes", user.Name), () =>
                second = hosts.Second.Imaproot("migrate", "--yes", user.Name));
            first.Succeeded();
            Assert.True(second!.ExitCode != 0, $"the second host's migrate exited 0 while the first one held the user\n{second.Stdout}{second.Stderr}");
            Assert.Contains($"{user.Name}: another imaproot is working on this user", second.Stderr, StringComparison.Ordinal);
            Assert.Equal("migrated", hosts.StateInTable(user));
            AssertMailboxesUnder(user, Path.Combine(user.Home, "IMAP"), movedAway: user.Home);
            hosts.First.Imaproot("rollback", user.Name).Succeeded();
            Assert.Equal("legacy", hosts.StateInTable(user));

            // Free: both started together, whoever comes second finds the lock taken or the user migrated.
            var clock = Stopwatch.StartNew();
            using var start = new Barrier(2);
            Task<ImaprootRun>[] racing = [.. hosts.Hosts.Select(host => Task.Run(() =>
            {
                start.SignalAndWait();
                return host.Imaproot("migrate", "--yes", user.Name);
            }))];
            ImaprootRun[] runs = await Task.WhenAll(racing);
            output.WriteLine($"two hosts racing migrate: {clock.ElapsedMilliseconds} ms");
            foreach (ImaprootRun run in runs)
                output.WriteLine($"exit {run.ExitCode}\n{run.Stdout}{run.Stderr}");
            Assert.Single(runs, run => run.ExitCode == 0);
            Assert.Equal("migrated", hosts.StateInTable(user));
            AssertMailboxesUnder(user, Path.Combine(user.Home, "IMAP"), movedAway: user.Home);
            Assert.All(hosts.Hosts, host => Assert.Equal(before, MailClients.MessageCounts(host, user)));
        }
        finally
        {
            BackToLegacy(user);
        }
    }

    [Fact]
    public async Task BatchesOnBothHostsOverOverlappingUsersMigrateEachUserOnce()
    {
        TestUser[] users = hosts.Batched;
        Dictionary<string, string[]> before = users.ToDictionary(u => u.Name, SameOnBothServers);
        try
        {
            // The middle user is in both hosts' batches; the first only in the first host's, the last only in the second's.
            using var start = new Barrier(2);
            Task<ImaprootRun> first = Task.Run(() =>
            {
                start.SignalAndWait();
                return hosts.First.Imaproot("migrate", "--yes", users[0].Name, users[1].Name);
            });
            Task<ImaprootRun> second = Task.Run(() =>
            {
                start.SignalAndWait();
                return hosts.Second.Imaproot("migrate", "--yes", users[1].Name, users[2].Name);
            });
            ImaprootRun[] runs = await Task.WhenAll(first, second);
            string said = string.Concat(runs.Select(r => r.Stdout + r.Stderr));
            output.WriteLine(said);
            AssertEachMigratedOnceAndServed(users, before, said);
            // The host that lost the shared user touched nothing: her lock was held, or (came later) she was
            // migrated already, or the winner's completed journal on the shared storage was found first.
            Assert.Matches($"(?m)^{users[1].Name}: failed: .*(another imaproot is working on this user|in state migrat|a completed migration's journal is kept).*nothing was touched$", said);
        }
        finally
        {
            Array.ForEach(users, BackToLegacy);
        }
    }

    [Fact]
    public async Task RunDueOnBothHostsAtOnceMigratesEachUserOnce()
    {
        TestUser[] users = hosts.Batched;
        Dictionary<string, string[]> before = users.ToDictionary(u => u.Name, SameOnBothServers);
        try
        {
            hosts.First.Imaproot(["schedule", .. users.Select(u => u.Name), "--at", "2020-01-01T00:00Z", "--yes"]).Succeeded();
            using var start = new Barrier(2);
            Task<ImaprootRun>[] racing = [.. hosts.Hosts.Select(host => Task.Run(() =>
            {
                start.SignalAndWait();
                return host.Imaproot("run-due", "--yes");
            }))];
            ImaprootRun[] runs = await Task.WhenAll(racing);
            string said = string.Concat(runs.Select(r => r.Stdout + r.Stderr));
            output.WriteLine(said);
            AssertEachMigratedOnceAndServed(users, before, said);
            Assert.Equal("0", hosts.First.Database.Query("SELECT count(*) FROM imaproot.schedule").Trim());
        }
        finally
        {
            Array.ForEach(users, BackToLegacy);
        }
    }

    // Each user migrated by exactly one host (one "USER: migrated: " line in both hosts' output),
    // and both servers serve the moved root with the counts of before.
    private void AssertEachMigratedOnceAndServed(TestUser[] users, Dictionary<string, string[]> before, string said)
    {
        foreach (TestUser user in users)
        {
            Assert.True(1 == said.Split('\n').Count(line => line.StartsWith($"{user.Name}: migrated: ", StringComparison.Ordinal)), $"{user.Name} not migrated exactly once:\n{said}");
            Assert.Equal("migrated", hosts.StateInTable(user));
            AssertMailboxesUnder(user, Path.Combine(user.Home, "IMAP"), movedAway: user.Home);
            Assert.All(hosts.Hosts, host => Assert.Equal(before[user.Name], MailClients.MessageCounts(host, user)));
        }
    }

    /// <summary>
    /// Runs <paramref name="migration"/> with the gate to the second server held; once it waits there
    /// (the user migrating), runs <paramref name="meanwhile"/>, then releases the gate; returns the run.
    /// </summary>
    private ImaprootRun WhileHeldAtTheGate(Func<ImaprootRun> migration, Action meanwhile)
    {
        hosts.Gate.Hold();
        Task<ImaprootRun> running;
        try
        {
            running = Task.Run(migration);
            if (!hosts.Gate.WaitUntilReached(GateWait))
            {
                hosts.Gate.Release();
                ImaprootRun run = running.GetAwaiter().GetResult();
                Assert.Fail($"imaproot did not reach the second server's doveadm within {GateWait.TotalSeconds} s; it exited {run.ExitCode}\n{run.Stdout}{run.Stderr}");
            }
            meanwhile();
        }
        finally
        {
            hosts.Gate.Release();
        }
        return running.GetAwaiter().GetResult();
    }

    /// <summary>Selects every mailbox on the first server (what imaproot moves by); returns the counts, which the second server must show too.</summary>
    private string[] SameOnBothServers(TestUser user)
    {
        Assert.Contains(hosts.StateInTable(user), new[] { "", "legacy" });
        MailboxUse.SelectFlagAndSubscribe(hosts.First, user, TwoPgsqlHosts.Mailboxes.Keys, ["Archive"]);
        string[] counts = MailClients.MessageCounts(hosts.First, user);
        Assert.Contains("Archive 3", counts);
        Assert.Equal(counts, MailClients.MessageCounts(hosts.Second, user));
        return counts;
    }

    private static void AssertMailboxesUnder(TestUser user, string root, string movedAway)
    {
        foreach (string mailbox in TwoPgsqlHosts.Mailboxes.Keys)
        {
            Assert.True(File.Exists(Path.Combine(root, mailbox)), $"{mailbox} is not under {root}");
            Assert.False(File.Exists(Path.Combine(movedAway, mailbox)), $"{mailbox} is still under {movedAway}");
        }
    }

    /// <summary>Leaves the user legacy whatever a failed test left behind, so the next test starts clean.</summary>
    private void BackToLegacy(TestUser user)
    {
        if (hosts.StateInTable(user) is "migrated" or "migrating")
            hosts.First.Imaproot("rollback", user.Name);
    }

    // 2.3 prints the mail field, 2.4 mail_path with ~ expanded.
    private static string RootInDoveadmUser(PgsqlMailHost host, TestUser user) =>
        string.Join('\n', host.Doveadm("user", user.Name).Split('\n')
            .Where(l => l.StartsWith("mail", StringComparison.Ordinal))
            .Select(l => l.Replace("~", user.Home, StringComparison.Ordinal)));
}

public sealed class TwoServersShareOnePostgresStateOnDovecot23(TwoPgsqlHosts23 hosts, ITestOutputHelper output) : TwoServersShareOnePostgresState<TwoPgsqlHosts23>(hosts, output);

public sealed class TwoServersShareOnePostgresStateOnDovecot24(TwoPgsqlHosts24 hosts, ITestOutputHelper output) : TwoServersShareOnePostgresState<TwoPgsqlHosts24>(hosts, output);

public sealed class TwoServersShareOnePostgresStateOnDovecot245(TwoPgsqlHosts245 hosts, ITestOutputHelper output) : TwoServersShareOnePostgresState<TwoPgsqlHosts245>(hosts, output);
