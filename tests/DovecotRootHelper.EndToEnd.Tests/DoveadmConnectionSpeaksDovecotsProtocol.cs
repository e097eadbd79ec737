using System.Net;
using System.Net.Sockets;
using DovecotRootHelper.Configuration;
using DovecotRootHelper.EndToEnd.Tests.Infrastructure;
using DovecotRootHelper.Migration;
using MailKit;
using MailKit.Net.Imap;

namespace DovecotRootHelper.EndToEnd.Tests;

/// <summary>
/// Issue 21: imaproot's doveadm protocol client (<see cref="DoveadmConnection"/>) against a real
/// Dovecot's doveadm TCP listener, what docs/remote-doveadm-notes.md read in the source: who without
/// -1 answers five values per user with the connection count second, kick closes the sessions (2.3
/// answers NOTFOUND when there were none, 2.4 the number 0), auth cache flush answers a count, and a
/// wrong password or nothing listening is one line naming the server. Only a connection's first
/// command gets its own output.
/// </summary>
public abstract class DoveadmConnectionSpeaksDovecotsProtocol<TServers>(TServers servers) : IClassFixture<TServers>
    where TServers : TwoServers
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private DoveadmAddress First => new("127.0.0.1", servers.First.DoveadmPort);

    [Fact]
    public void WhoCountsTheSessionsAndKickClosesThem()
    {
        TestUser user = servers.Mover;
        using var transcript = new MemoryStream();
        using ImapClient session = MailClients.Imap(servers.First, transcript);
        session.Authenticate(user.Name, TestUser.Password);
        session.Inbox.Open(FolderAccess.ReadOnly);

        DoveadmReply who = Run("who", user.Name);
        Assert.True(who.Succeeded, who.FailureCode);
        Assert.Equal(5, who.Values.Count);
        Assert.Equal((user.Name, "1", "imap"), (who.Values[0], who.Values[1], who.Values[2]));

        DoveadmReply kick = Run("kick", user.Name);
        Assert.True(kick.Succeeded, kick.FailureCode);
        Assert.Equal(servers.First.Generation.Is24() ? "1" : user.Name, Assert.Single(kick.Values));
        WaitUntil(() => Run("who", user.Name).Values.Count == 0, "who still lists the kicked session");
        Assert.ThrowsAny<Exception>(() => session.NoOp());
    }

    [Fact]
    public void KickWithNoSessionIsNotFoundOn23AndZeroOn24()
    {
        DoveadmReply kick = Run("kick", servers.Stay.Name);

        Assert.Equal(servers.First.Generation.Is24() ? null : "NOTFOUND", kick.FailureCode);
        Assert.Equal(servers.First.Generation.Is24() ? ["0"] : [], kick.Values);
    }

    [Fact]
    public void AuthCacheFlushAnswersTheNumberOfEntriesFlushed()
    {
        DoveadmReply flush = Run("auth cache flush", servers.Held.Name);

        Assert.True(flush.Succeeded, flush.FailureCode);
        Assert.True(uint.TryParse(Assert.Single(flush.Values), out _), string.Join('|', flush.Values));
    }

    /// <summary>
    /// Why imaproot opens a connection per command: the server formatter counts headers across the
    /// commands of a connection and never resets the count (doveadm-print-server.c, a static
    /// context), so after a who (five headers) a flush's one value is held back until the command has
    /// been answered and arrives as the output of the next command.
    /// </summary>
    [Fact]
    public void OnlyAConnectionsFirstCommandGetsItsOwnOutput()
    {
        using DoveadmConnection connection = DoveadmConnection.Open(First, servers.DoveadmPassword!, Timeout);

        Assert.Empty(connection.Run("who", servers.Blind.Name).Values);
        DoveadmReply flush = connection.Run("auth cache flush", servers.Blind.Name);
        DoveadmReply who = connection.Run("who", servers.Blind.Name);

        Assert.True(flush.Succeeded);
        Assert.Empty(flush.Values);
        Assert.True(uint.TryParse(Assert.Single(who.Values), out _), string.Join('|', who.Values));
    }

    [Fact]
    public void AnUnknownCommandFailsWithoutClosingTheConnection()
    {
        using DoveadmConnection connection = DoveadmConnection.Open(First, servers.DoveadmPassword!, Timeout);

        Assert.False(connection.Run("no-such-command", "x").Succeeded);
        Assert.True(connection.Run("who", servers.Blind.Name).Succeeded);
    }

    [Fact]
    public void AWrongPasswordIsRefusedNamingTheServer()
    {
        DoveadmException e = Assert.Throws<DoveadmException>(() => DoveadmConnection.Open(First, servers.DoveadmPassword + "x", Timeout));

        Assert.Equal($"doveadm server 127.0.0.1:{servers.First.DoveadmPort}: refused the password (its doveadm_password is another, or unset)", e.Message);
    }

    [Fact]
    public void NothingListeningIsNamed()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        DoveadmException e = Assert.Throws<DoveadmException>(() => DoveadmConnection.Open(new DoveadmAddress("127.0.0.1", port), "x", Timeout));

        Assert.StartsWith($"doveadm server 127.0.0.1:{port}: ", e.Message, StringComparison.Ordinal);
        Assert.Contains("refused", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void AnImapListenerIsNoDoveadmServer()
    {
        DoveadmException e = Assert.Throws<DoveadmException>(() => DoveadmConnection.Open(new DoveadmAddress("127.0.0.1", servers.First.ImapPort), "x", Timeout));

        Assert.Contains("to the handshake: not a doveadm server", e.Message, StringComparison.Ordinal);
    }

    private DoveadmReply Run(string command, string user)
    {
        using DoveadmConnection connection = DoveadmConnection.Open(First, servers.DoveadmPassword!, Timeout);
        return connection.Run(command, user);
    }

    private static void WaitUntil(Func<bool> condition, string failure)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), failure);
            Thread.Sleep(100);
        }
    }
}

/// <summary>Against Debian 12's Dovecot 2.3.</summary>
public sealed class DoveadmConnectionSpeaksDovecotsProtocolOnDovecot23(DoveadmServers23 servers) : DoveadmConnectionSpeaksDovecotsProtocol<DoveadmServers23>(servers);

/// <summary>Against Debian 13's Dovecot 2.4.1.</summary>
public sealed class DoveadmConnectionSpeaksDovecotsProtocolOnDovecot24(DoveadmServers24 servers) : DoveadmConnectionSpeaksDovecotsProtocol<DoveadmServers24>(servers);

/// <summary>Against Debian forky's Dovecot 2.4.5.</summary>
public sealed class DoveadmConnectionSpeaksDovecotsProtocolOnDovecot245(DoveadmServers245 servers) : DoveadmConnectionSpeaksDovecotsProtocol<DoveadmServers245>(servers);
