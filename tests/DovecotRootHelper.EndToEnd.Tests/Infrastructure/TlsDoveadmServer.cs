namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A private Dovecot whose doveadm TCP listener speaks TLS only (private-dovecot.sh's DOVEADM_TLS):
/// its certificate names 127.0.0.1 and is signed by a test CA made here with openssl (<see cref="CaFile"/>);
/// <see cref="OtherCaFile"/> is a CA that signed nothing of it. No accounts: doveadm's auth cache
/// flush needs none.
/// </summary>
public abstract class TlsDoveadmServer : DovecotSandbox
{
    public const string Password = "doveadm-tls-secret";

    protected TlsDoveadmServer(DovecotGeneration generation)
        : base("", generation, runsTheHook: false)
    {
        string tls = Path.Combine(Etc, "tls");
        Directory.CreateDirectory(tls);
        CaFile = Authority(tls, "ca");
        OtherCaFile = Authority(tls, "other-ca");
        OpenSsl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", Path.Combine(tls, "key.pem"), "-out", Path.Combine(tls, "server.csr"), "-subj", "/CN=127.0.0.1");
        string names = Path.Combine(tls, "names.ext");
        File.WriteAllText(names, "subjectAltName = IP:127.0.0.1\n");
        OpenSsl("x509", "-req", "-in", Path.Combine(tls, "server.csr"), "-CA", CaFile, "-CAkey", Path.Combine(tls, "ca.key"), "-CAcreateserial",
            "-out", Path.Combine(tls, "cert.pem"), "-days", "2", "-extfile", names);
        try
        {
            Start(new Dictionary<string, string> { ["DOVEADM_PASSWORD"] = Password, ["DOVEADM_TLS"] = tls });
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The CA that signed the listener's certificate (PEM), root's and not writable by others.</summary>
    public string CaFile { get; }

    /// <summary>A CA that signed nothing of this server.</summary>
    public string OtherCaFile { get; }

    private static string Authority(string directory, string name)
    {
        string certificate = Path.Combine(directory, name + ".pem");
        OpenSsl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", Path.Combine(directory, name + ".key"), "-out", certificate, "-days", "2", "-subj", $"/CN=drh test {name}");
        return certificate;
    }

    private static void OpenSsl(params string[] arguments) => Command.Run("openssl", arguments);
}

/// <summary>On Debian 12's Dovecot 2.3.</summary>
public sealed class TlsDoveadmServer23() : TlsDoveadmServer(DovecotGeneration.V23);

/// <summary>On Debian 13's Dovecot 2.4.1.</summary>
public sealed class TlsDoveadmServer24() : TlsDoveadmServer(DovecotGeneration.V24);

/// <summary>On Debian forky's Dovecot 2.4.5.</summary>
public sealed class TlsDoveadmServer245() : TlsDoveadmServer(DovecotGeneration.V245);
