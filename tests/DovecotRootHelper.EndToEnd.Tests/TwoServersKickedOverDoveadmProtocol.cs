using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using DovecotRootHelper.EndToEnd.Tests.Infrastructure;
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
        string config = File.ReadAllText(servers.First.ConfigPath);
        Assert.Contains("doveadm-servers = ", config, StringComparison.Ordinal);
        Assert.DoesNotContain("kick =", config, StringComparison.Ordinal);
        Assert.DoesNotContain("who =", config, StringComparison.Ordinal);
        try
        {
            ImaprootRun run = servers.MigrateWithASessionOnEachServer(user);

            Assert.DoesNotContain("doveadm server", run.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            servers.Imaproot("rollback", user.Name);
        }
    }

    [Fact]
    public void AServerWhoseDoveadmIsDownRefusesTheMigrationNamingIt()
    {
        string down = $"127.0.0.1:{PortNobodyListensOn()}";

        string stderr = MigrationRefused(servers.Stay, [down, servers.First.DoveadmServer], Password, sessionOn: servers.First);

        Assert.Contains($"doveadm server {down}: ", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => line.Contains(down, StringComparison.Ordinal));
    }

    [Fact]
    public void AWrongPasswordRefusesTheMigrationNamingTheServer()
    {
        string stderr = MigrationRefused(servers.Blind, [.. servers.Servers.Select(s => s.DoveadmServer)], Password + "-wrong", sessionOn: servers.Second);

        Assert.Contains($"doveadm server {servers.First.DoveadmServer}: refused the password", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void APasswordFileOthersCanReadRefusesTheMigration()
    {
        TestUser user = servers.Held;
        string[] before = servers.Prepare(user);
        File.SetUnixFileMode(servers.PasswordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        try
        {
            ImaprootRun run = servers.Imaproot("migrate", "--yes", user.Name);

            Assert.NotEqual(0, run.ExitCode);
            Assert.Contains($"[migration] doveadm-password-file {servers.PasswordFile}: refused: mode 644 lets others than its owner read it", run.Stderr, StringComparison.Ordinal);
            servers.AssertLegacyAndUnmoved(user, before);
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

    /// <summary>
    /// Configures <paramref name="doveadmServers"/> and <paramref name="password"/>, migrates the user
    /// with a session open on <paramref name="sessionOn"/>, and checks that imaproot failed, the user is
    /// legacy with nothing moved and the session still serves; returns imaproot's stderr.
    /// </summary>
    private string MigrationRefused(TestUser user, string[] doveadmServers, string password, SharedStorageServer sessionOn)
    {
        string[] before = servers.Prepare(user);
        servers.UseDoveadmProtocol(doveadmServers, password, kickTimeoutSeconds: 5);
        try
        {
            using var transcript = new MemoryStream();
            using ImapClient session = TwoServers.OpenSession(sessionOn, user, transcript);

            ImaprootRun run = servers.Imaproot("migrate", "--yes", user.Name);

            Assert.NotEqual(0, run.ExitCode);
            servers.AssertLegacyAndUnmoved(user, before);
            session.NoOp();
            Assert.Single(sessionOn.Sessions(user));
            session.Disconnect(quit: true);
            return run.Stderr;
        }
        finally
        {
            servers.UseDoveadmProtocol([.. servers.Servers.Select(s => s.DoveadmServer)], Password);
        }
    }

    /// <summary>A port just bound and released: nothing listens there, as on a server whose Dovecot is down.</summary>
    private static int PortNobodyListensOn()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>On two Debian 12 Dovecot 2.3 servers.</summary>
public sealed class TwoServersKickedOverDoveadmProtocolOnDovecot23(DoveadmServers23 servers) : TwoServersKickedOverDoveadmProtocol<DoveadmServers23>(servers);

/// <summary>On two Debian 13 Dovecot 2.4.1 servers.</summary>
public sealed class TwoServersKickedOverDoveadmProtocolOnDovecot24(DoveadmServers24 servers) : TwoServersKickedOverDoveadmProtocol<DoveadmServers24>(servers);

/// <summary>On two Debian forky Dovecot 2.4.5 servers.</summary>
public sealed class TwoServersKickedOverDoveadmProtocolOnDovecot245(DoveadmServers245 servers) : TwoServersKickedOverDoveadmProtocol<DoveadmServers245>(servers);
