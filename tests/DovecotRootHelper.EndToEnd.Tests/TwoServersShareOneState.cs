using DovecotRootHelper.EndToEnd.Tests.Infrastructure;
using MailKit.Net.Imap;

namespace DovecotRootHelper.EndToEnd.Tests;

/// <summary>
/// Two Dovecots serving the same homes and reading the same state file, as two servers on shared
/// storage: imaproot migrate, run once, closes the user's sessions on both (kick and who reach both),
/// and afterwards both hand out the migrated root with the same mailboxes and counts; while the user
/// is migrating both refuse; a session the kick does not close, or a server who cannot ask, makes the
/// migration fail closed. Neither server ever hands out the wrong root.
/// </summary>
public abstract class TwoServersShareOneState<TServers>(TServers servers) : IClassFixture<TServers>
    where TServers : TwoServers
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public void MigrateClosesTheSessionsOnBothServersAndBothThenServeTheMigratedRoot()
    {
        TestUser user = servers.Mover;
        try
        {
            servers.MigrateWithASessionOnEachServer(user);
        }
        finally
        {
            servers.Imaproot("rollback", user.Name);
        }
    }

    [Fact]
    public void WhileTheUserIsMigratingBothServersRefuseAndAfterwardsBothServeTheMigratedRoot()
    {
        TestUser user = servers.Held;
        string[] before = servers.Prepare(user);
        File.WriteAllText(servers.HoldFile(user), "");
        try
        {
            ImaprootRun? run = null;
            var migrate = new Thread(() => run = servers.Imaproot("migrate", "--yes", user.Name));
            migrate.Start();
            // The kick starts after the state says migrating; it waits for the hold file to go.
            WaitFor(() => File.Exists(servers.HeldMarker(user)) || !migrate.IsAlive, "the kick never started");
            Assert.True(migrate.IsAlive, $"imaproot finished before its kick: {run}");
            Assert.Contains($"{user.Name}\tmigrating", File.ReadAllText(servers.First.StatePath), StringComparison.Ordinal);
            foreach (SharedStorageServer server in servers.Servers)
            {
                using var client = RawLineClient.Connect(server.ImapPort);
                client.Send($"a LOGIN {user.Name} {TestUser.Password}");
                string bye = Assert.Single(client.ReadToClose());
                Assert.StartsWith("* BYE [UNAVAILABLE] ", bye, StringComparison.Ordinal);
            }
            File.Delete(servers.HoldFile(user));
            Assert.True(migrate.Join(TimeSpan.FromSeconds(120)), "imaproot migrate did not finish");
            Assert.NotNull(run);
            run.Succeeded();

            TwoServers.AssertMailboxesUnder(user, Path.Combine(user.Home, "IMAP"), movedAway: user.Home);
            Assert.All(servers.Servers, server => Assert.Equal(before, MailClients.MessageCounts(server, user)));
        }
        finally
        {
            File.Delete(servers.HoldFile(user));
            servers.Imaproot("rollback", user.Name);
        }
    }

    [Fact]
    public void ASessionTheKickDoesNotReachMakesTheMigrationFailClosed()
    {
        TestUser user = servers.Stay;
        string[] before = servers.Prepare(user);
        // An administrator's kick that forgot the second server; who still asks both.
        servers.UseCommands(kickOn: [servers.First], whoOn: [servers.First.DovecotDirectory, servers.Second.DovecotDirectory], kickTimeoutSeconds: 5);
        try
        {
            using var transcript = new MemoryStream();
            using ImapClient onSecond = TwoServers.OpenSession(servers.Second, user, transcript);

            ImaprootRun run = servers.Imaproot("migrate", "--yes", user.Name);

            Assert.NotEqual(0, run.ExitCode);
            Assert.Contains("still open", run.Stderr, StringComparison.Ordinal);
            servers.AssertLegacyAndUnmoved(user, before);
            onSecond.NoOp();
            Assert.Single(servers.Second.Sessions(user));
            onSecond.Disconnect(quit: true);
        }
        finally
        {
            servers.UseCommands(kickOn: servers.Servers, whoOn: [.. servers.Servers.Select(s => s.DovecotDirectory)]);
        }
    }

    [Fact]
    public void AServerWhoCannotAskMakesTheMigrationFailClosed()
    {
        TestUser user = servers.Blind;
        string[] before = servers.Prepare(user);
        // who asks the first server and a Dovecot directory where nothing runs, not the second server.
        string nowhere = servers.Second.DovecotDirectory + "-gone";
        servers.UseCommands(kickOn: [servers.First], whoOn: [servers.First.DovecotDirectory, nowhere]);
        try
        {
            using var transcript = new MemoryStream();
            using ImapClient onSecond = TwoServers.OpenSession(servers.Second, user, transcript);

            ImaprootRun run = servers.Imaproot("migrate", "--yes", user.Name);

            Assert.NotEqual(0, run.ExitCode);
            Assert.Contains("sessions.sh who", run.Stderr, StringComparison.Ordinal);
            servers.AssertLegacyAndUnmoved(user, before);
            onSecond.NoOp();
            onSecond.Disconnect(quit: true);
        }
        finally
        {
            servers.UseCommands(kickOn: servers.Servers, whoOn: [.. servers.Servers.Select(s => s.DovecotDirectory)]);
        }
    }


    private static void WaitFor(Func<bool> condition, string failure)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < Patience, failure);
            Thread.Sleep(50);
        }
    }
}

/// <summary>On two Debian 12 Dovecot 2.3 servers.</summary>
public sealed class TwoServersShareOneStateOnDovecot23(TwoServers23 servers) : TwoServersShareOneState<TwoServers23>(servers);

/// <summary>On two Debian 13 Dovecot 2.4 servers.</summary>
public sealed class TwoServersShareOneStateOnDovecot24(TwoServers24 servers) : TwoServersShareOneState<TwoServers24>(servers);

/// <summary>On two Debian forky Dovecot 2.4.5 servers.</summary>
public sealed class TwoServersShareOneStateOnDovecot245(TwoServers245 servers) : TwoServersShareOneState<TwoServers245>(servers);
