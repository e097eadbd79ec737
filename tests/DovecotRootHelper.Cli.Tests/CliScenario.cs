using DovecotRootHelper.Posix;

namespace DovecotRootHelper.Cli.Tests;

/// <summary>
/// A config and a state file in a temporary directory (0755, files 0644, owned by root as the
/// tests run as root), for the published binary or the in-process command layer. Users are
/// system accounts every Debian has: root (uid 0, home /root), daemon (uid 1) and nobody (uid 65534).
/// </summary>
public sealed class CliScenario : IDisposable
{
    private readonly TempDirectory _dir = new();

    public CliScenario(string state = "", string version = "2.3", string extraState = "", string migration = "", bool writeState = true, string? legacy = "mbox:~:INBOX=/var/mail/%u", string dovecotMailPath = "~")
    {
        StatePath = Path.Combine(_dir.Path, "state");
        if (writeState)
            _dir.Write("state", state);
        // imaproot check compares legacy with the location of this private Dovecot config, asked of
        // the generation's own doveconf (2.4: in the Debian 13 tree, tests/dovecot/debian13.sh), and
        // reads which setup it runs: the post-login hook for IMAP and POP3, as the README installs it.
        string dovecotConfig = _dir.Write("dovecot.conf", (version == "2.4"
            ? $"dovecot_config_version = 2.4.0\ndovecot_storage_version = 2.4.0\nmail_driver = mbox\nmail_path = {dovecotMailPath}\nmail_inbox_path = /var/mail/%{{user}}\n"
            : $"mail_location = mbox:{dovecotMailPath}:INBOX=/var/mail/%u\n") + PostLoginServices);
        string doveconf = version == "2.4"
            ? $"{RepositoryRoot.Combine("tests", "dovecot", "debian13.sh")} run doveconf -c {dovecotConfig}"
            : $"doveconf -c {dovecotConfig}";
        ConfigPath = _dir.Write("helper.conf", $"""
            [dovecot]
            version = {version}
            doveconf = {doveconf}
            [locations]
            {(legacy is null ? "" : "legacy = " + legacy)}
            migrated = mbox:~/IMAP:INBOX=/var/mail/%u
            [state]
            file = {StatePath}
            {extraState}
            [migration]
            journal-dir = {Path.Combine(_dir.Path, "journal")}
            flush = {(migration.Length == 0 ? "/bin/true" : migration)}
            """);
    }

    /// <summary>The post-login services of packaging/dovecot/dovecot-2.3-postlogin.conf (the same in 2.4's syntax).</summary>
    public const string PostLoginServices = """
        protocols = imap pop3
        service imap {
          executable = imap imap-postlogin
        }
        service imap-postlogin {
          executable = script-login /usr/lib/dovecot-root-helper/dovecot-root-helper
          unix_listener imap-postlogin {
          }
        }
        service pop3 {
          executable = pop3 pop3-postlogin
        }
        service pop3-postlogin {
          executable = script-login /usr/lib/dovecot-root-helper/dovecot-root-helper-pop3
          unix_listener pop3-postlogin {
          }
        }

        """;

    public string Dir => _dir.Path;

    public string StatePath { get; }

    public string ConfigPath { get; }

    public string State => File.ReadAllText(StatePath);

    public string Write(string name, string contents) => _dir.Write(name, contents);

    /// <summary>The published binary with this scenario's config.</summary>
    public CliRun Run(params string[] arguments) => PublishedImaproot.Run(["--config", ConfigPath, .. arguments]);

    /// <summary>The command layer in this process over the real library, accounts from getpwnam.</summary>
    internal CliRun RunInProcess(params string[] arguments) => InProcessImaproot.Run(ConfigPath, UnixAccount.Find, arguments);

    public void Dispose() => _dir.Dispose();
}
