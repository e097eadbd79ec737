using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using DovecotRootHelper.EndToEnd.Tests.Infrastructure;
using MailKit;
using MailKit.Net.Imap;

namespace DovecotRootHelper.EndToEnd.Tests;

/// <summary>
/// Issue 21: with <c>[migration] doveadm-servers</c> and <c>doveadm-password-file</c> (and no kick,
/// who or flush command, no wrapper script), imaproot migrate kicks the user's sessions on both
/// servers, asks who on each and flushes their auth caches over Dovecot's own doveadm protocol; a
/// server whose doveadm does not answer, or that refuses the password, makes the migration fail
/// closed with one line naming it: the user is back at legacy and nothing moved.
/// </summary>
public abstract class TwoServersKickedOverDoveadmProtocol<TServers>(TServers servers) : IClassFixture<TServers>
    where TServers : TwoServers
{
    private string Password => servers.DoveadmPassword!;

    [Fact]
    public void MigrateClosesTheSessionsOnBothServersOverTheProtocol()
    {
        TestUser user = servers.Mover;
        string[] before = Prepare(user);
        string config = File.ReadAllText(servers.First.ConfigPath);
        Assert.Contains("doveadm-servers = ", config, StringComparison.Ordinal);
        Assert.DoesNotContain("kick =", config, StringComparison.Ordinal);
        Assert.DoesNotContain("who =", config, StringComparison.Ordinal);
        try
        {
            using var transcriptA = new MemoryStream();
            using var transcriptB = new MemoryStream();
            using ImapClient onFirst = OpenSession(servers.First, user, transcriptA);
            using ImapClient onSecond = OpenSession(servers.Second, user, transcriptB);
            Assert.All(servers.Servers, server => Assert.Single(server.Sessions(user)));

            ImaprootRun run = servers.Imaproot("migrate", "--yes", user.Name).Succeeded();

            Assert.DoesNotContain("doveadm server", run.Stderr, StringComparison.Ordinal);
            Assert.All(servers.Servers, server => Assert.Empty(server.Sessions(user)));
            Assert.ThrowsAny<Exception>(() => onFirst.NoOp());
            Assert.ThrowsAny<Exception>(() => onSecond.NoOp());
            Assert.Contains($"{user.Name}\tmigrated", File.ReadAllText(servers.First.StatePath), StringComparison.Ordinal);
            AssertMailboxesUnder(user, Path.Combine(user.Home, "IMAP"), movedAway: user.Home);
            Assert.All(servers.Servers, server => Assert.Equal(before, MailClients.MessageCounts(server, user)));
        }
        finally
        {
            servers.Imaproot("rollback", user.Name);
        }
    }

    [Fact]
    public void AServerWhoseDoveadmIsDownRefusesTheMigrationNamingIt()
    {
        TestUser user = servers.Stay;
        string[] before = Prepare(user);
        string down = $"127.0.0.1:{PortNobodyListensOn()}";
        servers.UseDoveadmProtocol([servers.First.DoveadmServer, down], Password, kickTimeoutSeconds: 5);
        try
        {
            using var transcript = new MemoryStream();
            using ImapClient onFirst = OpenSession(servers.First, user, transcript);

            ImaprootRun run = servers.Imaproot("migrate", "--yes", user.Name);

            Assert.NotEqual(0, run.ExitCode);
            Assert.Contains($"doveadm server {down}: ", run.Stderr, StringComparison.Ordinal);
            Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => line.Contains(down, StringComparison.Ordinal));
            AssertLegacyAndUnmoved(user, before);
        }
        finally
        {
            servers.UseDoveadmProtocol([.. servers.Servers.Select(s => s.DoveadmServer)], Password);
        }
    }

    [Fact]
    public void AWrongPasswordRefusesTheMigrationNamingTheServer()
    {
        TestUser user = servers.Blind;
        string[] before = Prepare(user);
        servers.UseDoveadmProtocol([.. servers.Servers.Select(s => s.DoveadmServer)], Password + "-wrong", kickTimeoutSeconds: 5);
        try
        {
            using var transcript = new MemoryStream();
            using ImapClient onSecond = OpenSession(servers.Second, user, transcript);

            ImaprootRun run = servers.Imaproot("migrate", "--yes", user.Name);

            Assert.NotEqual(0, run.ExitCode);
            Assert.Contains($"doveadm server {servers.First.DoveadmServer}: refused the password", run.Stderr, StringComparison.Ordinal);
            AssertLegacyAndUnmoved(user, before);
            onSecond.NoOp();
            Assert.Single(servers.Second.Sessions(user));
            onSecond.Disconnect(quit: true);
        }
        finally
        {
            servers.UseDoveadmProtocol([.. servers.Servers.Select(s => s.DoveadmServer)], Password);
        }
    }

    [Fact]
    public void APasswordFileOthersCanReadRefusesTheMigration()
    {
        TestUser user = servers.Held;
        string[] before = Prepare(user);
        File.SetUnixFileMode(servers.PasswordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        try
        {
            ImaprootRun run = servers.Imaproot("migrate", "--yes", user.Name);

            Assert.NotEqual(0, run.ExitCode);
            Assert.Contains($"[migration] doveadm-password-file {servers.PasswordFile}: refused: mode 644 lets others than its owner read it", run.Stderr, StringComparison.Ordinal);
            AssertLegacyAndUnmoved(user, before);
        }
        finally
        {
            File.SetUnixFileMode(servers.PasswordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    [Fact]
    public void SetFlushesTheAuthCacheOnEveryServerAndWarnsNamingOneThatIsDown()
    {
        TestUser user = servers.Held;
        string[] both = [.. servers.Servers.Select(s => s.DoveadmServer)];
        try
        {
            ImaprootRun set = servers.Imaproot("set", "--json", user.Name, "legacy").Succeeded();

            using (JsonDocument report = JsonDocument.Parse(set.Stdout))
            {
                JsonElement flush = report.RootElement.GetProperty("flush");
                Assert.Equal($"auth cache flush {user.Name} on {string.Join(", ", both)}", flush.GetProperty("command").GetString());
                Assert.Equal(JsonValueKind.Null, flush.GetProperty("warning").ValueKind);
            }
            Assert.Equal("", set.Stderr);

            string down = $"127.0.0.1:{PortNobodyListensOn()}";
            servers.UseDoveadmProtocol([servers.First.DoveadmServer, down], Password, kickTimeoutSeconds: 5);
            ImaprootRun warned = servers.Imaproot("set", user.Name, "legacy").Succeeded();

            string warning = Assert.Single(warned.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains($"auth cache flush: doveadm server {down}: ", warning, StringComparison.Ordinal);
        }
        finally
        {
            servers.UseDoveadmProtocol([.. servers.Servers.Select(s => s.DoveadmServer)], Password);
        }
    }

    /// <summary>Selects and subscribes the user's mailboxes (the evidence imaproot moves by); returns what both servers show, which must agree.</summary>
    private string[] Prepare(TestUser user)
    {
        MailboxUse.SelectFlagAndSubscribe(servers.First, user, TwoServers.Mailboxes.Keys, ["mail/Archive"]);
        string[] counts = MailClients.MessageCounts(servers.First, user);
        Assert.Contains("mail/Archive 3", counts);
        Assert.Equal(counts, MailClients.MessageCounts(servers.Second, user));
        return counts;
    }

    private static ImapClient OpenSession(SharedStorageServer server, TestUser user, MemoryStream transcript)
    {
        ImapClient client = MailClients.Imap(server, transcript);
        client.Authenticate(user.Name, TestUser.Password);
        client.GetFolder("mail/Archive").Open(FolderAccess.ReadWrite);
        return client;
    }

    /// <summary>A port just bound and released: nothing listens there, as on a server whose Dovecot is down.</summary>
    private static int PortNobodyListensOn()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void AssertLegacyAndUnmoved(TestUser user, string[] before)
    {
        Assert.Contains($"{user.Name}: legacy", servers.Imaproot("status", user.Name).Succeeded().Stdout, StringComparison.Ordinal);
        AssertMailboxesUnder(user, user.Home, movedAway: Path.Combine(user.Home, "IMAP"));
        Assert.All(servers.Servers, server => Assert.Equal(before, MailClients.MessageCounts(server, user)));
    }

    private static void AssertMailboxesUnder(TestUser user, string root, string movedAway)
    {
        foreach (string mailbox in TwoServers.Mailboxes.Keys)
        {
            Assert.True(File.Exists(Path.Combine(root, mailbox)), $"{mailbox} is not under {root}");
            Assert.False(File.Exists(Path.Combine(movedAway, mailbox)), $"{mailbox} is still under {movedAway}");
        }
    }
}

/// <summary>On two Debian 12 Dovecot 2.3 servers.</summary>
public sealed class TwoServersKickedOverDoveadmProtocolOnDovecot23(DoveadmServers23 servers) : TwoServersKickedOverDoveadmProtocol<DoveadmServers23>(servers);

/// <summary>On two Debian 13 Dovecot 2.4.1 servers.</summary>
public sealed class TwoServersKickedOverDoveadmProtocolOnDovecot24(DoveadmServers24 servers) : TwoServersKickedOverDoveadmProtocol<DoveadmServers24>(servers);

/// <summary>On two Debian forky Dovecot 2.4.5 servers.</summary>
public sealed class TwoServersKickedOverDoveadmProtocolOnDovecot245(DoveadmServers245 servers) : TwoServersKickedOverDoveadmProtocol<DoveadmServers245>(servers);
