using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A private Dovecot 2.3 on 127.0.0.1 (tests/dovecot/private-dovecot.sh) with the published hook as
/// its post-login script, installed with the shipped snippet, and a handful of users in every state.
/// One per test class; tests that change the state file put it back (<see cref="RestoreState"/>).
/// </summary>
public sealed class PrivateDovecot : IDisposable
{
    /// <summary>The state file every test starts from.</summary>
    public const string InitialState =
        "# dovecot-root-helper state file (end-to-end tests)\n"
        + "alice legacy\n"
        + "bob migrated moved 2024-01-01 by the tests\n"
        + "carol migrating\n"
        + "erin legacy\n";

    /// <summary>The mailbox names every user's mail is filed under, whichever root it lives in.</summary>
    public static readonly string[] MailboxFiles = ["mail/Archive", "mail/Lists/debian", "Sent"];

    private readonly string _directory;

    public PrivateDovecot()
    {
        RepositoryLayout.RequirePublishedHook();
        _directory = Directory.CreateTempSubdirectory("dovecot-root-helper-e2e.").FullName;
        // Dovecot's unprivileged processes and the hook (user dovecot) must reach the files below.
        File.SetUnixFileMode(_directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        try
        {
            Etc = Path.Combine(_directory, "etc");
            Directory.CreateDirectory(Etc);
            DovecotDirectory = Path.Combine(_directory, "dovecot");
            StatePath = Path.Combine(Etc, "state");
            ConfigPath = Path.Combine(Etc, "dovecot-root-helper.conf");
            WriteHelperConfig();
            RestoreState();
            PostLoginConfig = Path.Combine(_directory, "postlogin.conf");
            // The README shows this very snippet; only the install directory differs.
            File.WriteAllText(PostLoginConfig, File.ReadAllText(RepositoryLayout.PostLoginSnippet)
                .Replace("/usr/lib/dovecot-root-helper/", RepositoryLayout.HookDirectory + "/", StringComparison.Ordinal));
            Start();
            Alice = AddUser("alice", 20001);
            Bob = AddUser("bob", 20002);
            Carol = AddUser("carol", 20003);
            Dave = AddUser("dave", 20004);
            Erin = AddUser("erin", 20005);
            FillHomes();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Etc { get; }

    public string DovecotDirectory { get; }

    public string ConfigPath { get; }

    public string StatePath { get; }

    public string PostLoginConfig { get; }

    public string LogPath => Path.Combine(DovecotDirectory, "dovecot.log");

    public int ImapPort { get; private set; }

    public int Pop3Port => ImapPort + 1;

    /// <summary>Legacy: mailboxes and clutter side by side in $HOME.</summary>
    public TestUser Alice { get; }

    /// <summary>Migrated: mailboxes under $HOME/IMAP, clutter (and a stale mbox) in $HOME.</summary>
    public TestUser Bob { get; }

    /// <summary>Migrating: every login refused.</summary>
    public TestUser Carol { get; }

    /// <summary>Not in the state file: the default, legacy.</summary>
    public TestUser Dave { get; }

    /// <summary>Legacy with mail in $HOME and no clutter; tests move Erin and put her back.</summary>
    public TestUser Erin { get; }

    public string MasterPid => File.ReadAllText(Path.Combine(DovecotDirectory, "run", "master.pid")).Trim();

    /// <summary>Replaces the state file the way the admin tools do: a temporary file beside it, then rename.</summary>
    public void WriteState(string contents) => WriteState(Encoding.UTF8.GetBytes(contents));

    public void WriteState(byte[] contents)
    {
        string temporary = StatePath + ".new";
        File.WriteAllBytes(temporary, contents);
        File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        File.Move(temporary, StatePath, overwrite: true);
    }

    public void RestoreState() => WriteState(InitialState);

    /// <summary>Where the log ends now; pass it to <see cref="WaitForLog"/> to look only at what follows.</summary>
    public long LogLength() => new FileInfo(LogPath).Length;

    /// <summary>The log written after <paramref name="offset"/>, once it holds <paramref name="expected"/> (the log process writes asynchronously).</summary>
    public string WaitForLog(long offset, string expected)
    {
        string text = "";
        for (int i = 0; i < 100; i++)
        {
            text = LogSince(offset);
            if (text.Contains(expected, StringComparison.Ordinal))
                return text;
            Thread.Sleep(50);
        }
        Assert.Fail($"the Dovecot log never said \"{expected}\"; it said:\n{text}");
        return text;
    }

    public string LogSince(long offset)
    {
        using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(offset, SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The sessions <c>doveadm who</c> lists for the user, one line each.</summary>
    public string[] Sessions(TestUser user) =>
        Command.Run("doveadm", ["-c", Path.Combine(DovecotDirectory, "dovecot.conf"), "who", "-1", user.Name])
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => !line.StartsWith("username", StringComparison.Ordinal))
            .ToArray();

    public void Dispose()
    {
        try
        {
            if (Directory.Exists(DovecotDirectory))
                Script("stop", DovecotDirectory);
        }
        finally
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private void WriteHelperConfig()
    {
        string spool = Path.Combine(DovecotDirectory, "spool");
        File.WriteAllText(ConfigPath, $"""
            [dovecot]
            version = 2.3

            [locations]
            legacy = mbox:~:INBOX={spool}/%u
            migrated = mbox:~/IMAP:INBOX={spool}/%u

            [state]
            file = {StatePath}
            default = legacy

            [log]
            decisions = no

            """);
    }

    private void Start()
    {
        // Dovecot takes PORT for IMAP and PORT+1 for POP3; another process may grab either between
        // our probe and Dovecot's bind, so a failed start is retried on fresh ports.
        for (int attempt = 1; ; attempt++)
        {
            ImapPort = FreePortPair();
            Script("config", DovecotDirectory, ImapPort.ToString(System.Globalization.CultureInfo.InvariantCulture), PostLoginConfig);
            try
            {
                Script("start", DovecotDirectory);
                return;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                Script("stop", DovecotDirectory);
                File.Delete(Path.Combine(DovecotDirectory, "passwd"));
            }
        }
    }

    private TestUser AddUser(string name, int uid)
    {
        Script("user", DovecotDirectory, name, uid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var user = new TestUser(name, uid, Path.Combine(DovecotDirectory, "home", name));
        // One message in the INBOX (the spool file) so POP3 has something to count.
        File.WriteAllText(Path.Combine(DovecotDirectory, "spool", name), MailTree.Message($"inbox of {name}"));
        return user;
    }

    private void FillHomes()
    {
        foreach (string mailbox in MailboxFiles)
        {
            MailTree.AddMailbox(Alice, Alice.Home, mailbox, $"{mailbox} in alice's home");
            MailTree.AddMailbox(Bob, Path.Combine(Bob.Home, "IMAP"), mailbox, $"{mailbox} in bob's IMAP");
            MailTree.AddMailbox(Erin, Erin.Home, mailbox, $"{mailbox} in erin's home");
        }
        MailTree.AddMailbox(Carol, Carol.Home, "mail/Archive", "carol's archive");
        MailTree.AddMailbox(Dave, Dave.Home, "mail/Archive", "dave's archive");
        foreach (TestUser user in new[] { Alice, Bob })
        {
            MailTree.AddFile(user, user.Home, ".bashrc", "export EDITOR=vi\n");
            MailTree.AddFile(user, user.Home, "Documents/report.pdf", "%PDF-1.4\n");
        }
        // Mail left behind outside the new root must not show.
        MailTree.AddMailbox(Bob, Bob.Home, "Stale", "stale mbox in bob's home");
    }

    private void Script(params string[] arguments)
    {
        var environment = new Dictionary<string, string> { ["HELPER_CONFIG"] = ConfigPath };
        Command.Run(RepositoryLayout.PrivateDovecotScript, arguments, environment);
    }

    private static int FreePortPair()
    {
        for (int i = 0; i < 50; i++)
        {
            using var first = new TcpListener(IPAddress.Loopback, 0);
            first.Start();
            int port = ((IPEndPoint)first.LocalEndpoint).Port;
            if (port >= 65535)
                continue;
            try
            {
                using var second = new TcpListener(IPAddress.Loopback, port + 1);
                second.Start();
                second.Stop();
                return port;
            }
            catch (SocketException)
            {
            }
        }
        throw new InvalidOperationException("no two free adjacent ports on 127.0.0.1");
    }
}
