using DovecotRootHelper.Configuration;
using DovecotRootHelper.EndToEnd.Tests.Infrastructure;
using DovecotRootHelper.Migration;

namespace DovecotRootHelper.EndToEnd.Tests;

/// <summary>
/// imaproot's doveadm client in TLS (<c>[migration] doveadm-ca-file</c>) against a real Dovecot's
/// doveadm listener with <c>ssl = yes</c>: the protocol works through it; a certificate from another
/// CA, or naming another host, is refused before the password is sent; a plain client at the TLS
/// listener and a TLS client at a plain one fail in one line naming the server.
/// </summary>
public abstract class DoveadmOverTls<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : TlsDoveadmServer
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private DoveadmAddress Listener => new("127.0.0.1", server.DoveadmPort);

    [Fact]
    public void CommandsRunThroughTls()
    {
        using DoveadmConnection connection = DoveadmConnection.Open(Listener, TlsDoveadmServer.Password, Timeout, DoveadmTls.Load(server.CaFile));

        DoveadmReply flush = connection.Run("auth cache flush", "nobody-here");

        Assert.True(flush.Succeeded, flush.FailureCode);
        Assert.True(uint.TryParse(Assert.Single(flush.Values), out _), string.Join('|', flush.Values));
    }

    [Fact]
    public void RemoteDoveadmFlushesThroughTheConfiguredCa()
    {
        string passwordFile = Path.Combine(server.Etc, "doveadm-password");
        File.WriteAllText(passwordFile, TlsDoveadmServer.Password + "\n");
        File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var settings = new MigrationSettings("/nonexistent", "", "", "", Timeout)
        {
            DoveadmServers = [Listener],
            DoveadmPasswordFile = passwordFile,
            DoveadmCaFile = server.CaFile,
        };

        Assert.Empty(RemoteDoveadm.For(settings, Timeout)!.Flush("nobody-here"));
        // The same without the CA file: plain TCP at a TLS listener is a warning naming the server.
        string plain = Assert.Single(RemoteDoveadm.For(settings with { DoveadmCaFile = null }, Timeout)!.Flush("nobody-here"));
        Assert.StartsWith($"doveadm server {Listener}: ", plain, StringComparison.Ordinal);
    }

    [Fact]
    public void ACertificateFromAnotherCaIsRefused()
    {
        DoveadmException e = Assert.Throws<DoveadmException>(() => DoveadmConnection.Open(Listener, TlsDoveadmServer.Password, Timeout, DoveadmTls.Load(server.OtherCaFile)));

        Assert.StartsWith($"doveadm server {Listener}: TLS refused: its certificate is not signed by a CA of {server.OtherCaFile} (", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void ACertificateNamingAnotherHostIsRefused()
    {
        var byName = new DoveadmAddress("localhost", server.DoveadmPort);

        DoveadmException e = Assert.Throws<DoveadmException>(() => DoveadmConnection.Open(byName, TlsDoveadmServer.Password, Timeout, DoveadmTls.Load(server.CaFile)));

        Assert.Equal($"doveadm server {byName}: TLS refused: its certificate does not name localhost", e.Message);
    }

    [Fact]
    public void APlainClientAtTheTlsListenerFailsInOneLine()
    {
        DoveadmException e = Assert.Throws<DoveadmException>(() => DoveadmConnection.Open(Listener, TlsDoveadmServer.Password, Timeout));

        Assert.Equal($"doveadm server {Listener}: closed the connection at the handshake (not a doveadm listener, or one with ssl = yes, which needs [migration] doveadm-ca-file)", e.Message);
    }

    [Fact]
    public void ATlsClientAtAPlainListenerFailsInOneLine()
    {
        // Dovecot's IMAP listener is plain: a TLS handshake there is answered with an IMAP greeting.
        var plain = new DoveadmAddress("127.0.0.1", server.ImapPort);

        DoveadmException e = Assert.Throws<DoveadmException>(() => DoveadmConnection.Open(plain, TlsDoveadmServer.Password, Timeout, DoveadmTls.Load(server.CaFile)));

        Assert.StartsWith($"doveadm server {plain}: TLS", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }
}

public sealed class DoveadmOverTlsOnDovecot23(TlsDoveadmServer23 server) : DoveadmOverTls<TlsDoveadmServer23>(server);

public sealed class DoveadmOverTlsOnDovecot24(TlsDoveadmServer24 server) : DoveadmOverTls<TlsDoveadmServer24>(server);

public sealed class DoveadmOverTlsOnDovecot245(TlsDoveadmServer245 server) : DoveadmOverTls<TlsDoveadmServer245>(server);
