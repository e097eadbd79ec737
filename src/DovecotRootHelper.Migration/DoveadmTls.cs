using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using DovecotRootHelper.Configuration;
using DovecotRootHelper.Posix;

namespace DovecotRootHelper.Migration;

/// <summary>
/// TLS to the doveadm listeners (<c>[migration] doveadm-ca-file</c>, a listener with <c>ssl = yes</c>):
/// the server's certificate must chain to the CA certificates in that file, and only to them (not to
/// the system's), and name the host as <c>doveadm-servers</c> gives it. The file is a trust anchor,
/// so it passes the state file's trust rule: whoever could write it could read every doveadm password.
/// </summary>
public sealed class DoveadmTls
{
    private const int MaxSize = 1024 * 1024;

    private readonly X509Certificate2Collection _authorities;

    private DoveadmTls(string caFile, X509Certificate2Collection authorities)
    {
        CaFile = caFile;
        _authorities = authorities;
    }

    /// <summary>The file the certificates came from, for messages.</summary>
    public string CaFile { get; }

    /// <summary>The CA certificates of the file.</summary>
    /// <exception cref="DoveadmException">The file cannot be read, breaks the rule, or holds no PEM certificate.</exception>
    public static DoveadmTls Load(string caFile)
    {
        string text;
        try
        {
            text = Encoding.ASCII.GetString(TrustedFile.Read(caFile, MaxSize, out _).Span);
        }
        catch (UntrustedFileException e)
        {
            throw new DoveadmException($"[migration] doveadm-ca-file {caFile}: {e.Problem}");
        }
        catch (IOException e)
        {
            throw new DoveadmException($"[migration] doveadm-ca-file {caFile}: {e.Message}");
        }
        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPem(text);
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new DoveadmException($"[migration] doveadm-ca-file {caFile}: not PEM certificates ({e.Message})");
        }
        return authorities.Count > 0
            ? new DoveadmTls(caFile, authorities)
            : throw new DoveadmException($"[migration] doveadm-ca-file {caFile}: no PEM certificate in it");
    }

    /// <summary>
    /// The TLS session over <paramref name="transport"/>, the server's certificate checked;
    /// <paramref name="refused"/> says why a certificate was refused (null: it was not).
    /// </summary>
    internal SslStream Start(Stream transport, DoveadmAddress server, out Func<string?> refused)
    {
        string? why = null;
        refused = () => why;
        var tls = new SslStream(transport, leaveInnerStreamOpen: false, (_, certificate, _, errors) =>
        {
            why = Problem(certificate, errors, server);
            return why is null;
        });
        tls.AuthenticateAsClient(new SslClientAuthenticationOptions { TargetHost = server.Host });
        return tls;
    }

    private string? Problem(X509Certificate? certificate, SslPolicyErrors errors, DoveadmAddress server)
    {
        if (certificate is null)
            return "sent no certificate";
        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            return $"its certificate does not name {server.Host}";
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return certificate is X509Certificate2 presented && chain.Build(presented)
            ? null
            : $"its certificate is not signed by a CA of {CaFile} ({string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Distinct())})";
    }
}
