using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A temporary directory holding a private Dovecot on 127.0.0.1 (tests/dovecot/private-dovecot.sh):
/// Debian 12's 2.3 on the host, or a 2.4 (Debian 13's 2.4.1, forky's 2.4.5) in its cached Debian tree; and, beside it, the
/// hook's config and state file. Subclasses decide how the hook is plugged into
/// Dovecot and which users exist; this class starts, watches and stops the server.
/// </summary>
public abstract class DovecotSandbox : IDisposable
{
    private readonly string _directory;
    private readonly string _initialState;
    private readonly List<string> _accounts = [];

    /// <param name="runsTheHook">False for a setup where nothing of the published hook or imaproot runs (the pgsql userdb's).</param>
    protected DovecotSandbox(string initialState, DovecotGeneration generation = DovecotGeneration.V23, bool runsTheHook = true)
    {
        if (runsTheHook)
            RepositoryLayout.RequirePublishedHook();
        Generation = generation;
        _initialState = initialState;
        _directory = Directory.CreateTempSubdirectory("dovecot-root-helper-e2e.").FullName;
        // Dovecot's unprivileged processes and the hook (user dovecot) must reach the files below.
        File.SetUnixFileMode(_directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        Etc = Path.Combine(_directory, "etc");
        Directory.CreateDirectory(Etc);
        DovecotDirectory = Path.Combine(_directory, "dovecot");
        // Not under DovecotDirectory/state: that is Dovecot's own state_dir.
        StatePath = Path.Combine(Etc, "state");
        ConfigPath = Path.Combine(Etc, "dovecot-root-helper.conf");
        WriteHelperConfig();
        RestoreState();
    }

    /// <summary>Which Dovecot serves: 2.3 (the host's), 2.4.1 (Debian 13's) or 2.4.5 (forky's), the last two chrooted.</summary>
    public DovecotGeneration Generation { get; }

    /// <summary>The temporary directory everything lives in; deleted on <see cref="Dispose"/>.</summary>
    public string Root => _directory;

    public string Etc { get; }

    public string DovecotDirectory { get; }

    public string DovecotConfig => Path.Combine(DovecotDirectory, "dovecot.conf");

    public string ConfigPath { get; }

    public string StatePath { get; }

    public string LogPath => Path.Combine(DovecotDirectory, "dovecot.log");

    public int ImapPort { get; private set; }

    public int Pop3Port => ImapPort + 1;

    /// <summary>doveadm's TCP listener, open when the start's environment held DOVEADM_PASSWORD (private-dovecot.sh).</summary>
    public int DoveadmPort => ImapPort + 2;

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

    public void RestoreState() => WriteState(_initialState);

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

    /// <summary>Runs <c>doveadm -c DOVECOT-CONFIG ARGS</c> against this server (its own generation's doveadm) and returns its output.</summary>
    public string Doveadm(params string[] arguments) => Command.Run(RepositoryLayout.PrivateDovecotScript, ["doveadm", DovecotDirectory, .. arguments]);

    /// <summary>The command line of <see cref="Doveadm"/>, for configs that run doveadm themselves (imaproot's kick, who, flush).</summary>
    public string DoveadmCommandLine => $"{RepositoryLayout.PrivateDovecotScript} doveadm {DovecotDirectory}";

    /// <summary>The sessions <c>doveadm who</c> lists for the user, one line each (the flow formatter prints no header on either generation).</summary>
    public string[] Sessions(TestUser user) =>
        Doveadm("-f", "flow", "who", "-1", user.Name)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public void Dispose()
    {
        try
        {
            if (Directory.Exists(DovecotDirectory))
                Script(new Dictionary<string, string>(), "stop", DovecotDirectory);
        }
        finally
        {
            Directory.Delete(_directory, recursive: true);
            // Here rather than when the process exits: the test host may be stopped before it
            // has removed them all.
            foreach (string name in _accounts)
                UnixTestAccount.Remove(name);
        }
        GC.SuppressFinalize(this);
    }

    /// <summary>A real Unix account (<see cref="UnixTestAccount.Ensure"/>), removed when Dovecot has stopped and the directory is gone.</summary>
    protected TestUser UnixAccount(string name, int uid, string home)
    {
        TestUser user = UnixTestAccount.Ensure(name, uid, home);
        _accounts.Add(name);
        return user;
    }

    /// <summary>Writes Dovecot's config (with <paramref name="includes"/> appended) and starts it on a free pair of ports.</summary>
    /// <param name="environment">What private-dovecot.sh's <c>config</c> reads from its environment (HELPER_CONFIG, PASSWD_FILE).</param>
    protected void Start(IReadOnlyDictionary<string, string> environment, params string[] includes)
    {
        // Dovecot takes PORT for IMAP, PORT+1 for POP3 (and PORT+2 for doveadm); another process may
        // grab one between our probe and Dovecot's bind, so a failed start is retried on fresh ports.
        int ports = environment.ContainsKey("DOVEADM_PASSWORD") ? 3 : 2;
        var withGeneration = new Dictionary<string, string>(environment) { ["GENERATION"] = Generation.Name() };
        environment = withGeneration;
        for (int attempt = 1; ; attempt++)
        {
            ImapPort = FreePorts(ports);
            Script(environment, ["config", DovecotDirectory, ImapPort.ToString(CultureInfo.InvariantCulture), .. includes]);
            try
            {
                Script(environment, "start", DovecotDirectory);
                break;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                Script(environment, "stop", DovecotDirectory);
                File.Delete(Path.Combine(DovecotDirectory, "passwd"));
            }
        }
        RequireGeneration();
    }

    /// <summary>Adds a passwd-file user (password <see cref="TestUser.Password"/>), its home and its spool file with one message.</summary>
    protected TestUser AddUser(string name, int uid, string? home = null)
    {
        home ??= Path.Combine(DovecotDirectory, "home", name);
        Script(new Dictionary<string, string>(), "user", DovecotDirectory, name, uid.ToString(CultureInfo.InvariantCulture), home);
        var user = new TestUser(name, uid, home);
        // One message in the INBOX (the spool file) so POP3 has something to count.
        File.WriteAllText(Path.Combine(DovecotDirectory, "spool", name), MailTree.Message($"inbox of {name}"));
        return user;
    }

    /// <summary>Copies a shipped snippet with the install directory replaced, as the README tells administrators to.</summary>
    protected string InstallSnippet(string snippet, IReadOnlyDictionary<string, string> installedPaths)
    {
        string text = File.ReadAllText(snippet);
        foreach (KeyValuePair<string, string> path in installedPaths)
        {
            if (!text.Contains(path.Key, StringComparison.Ordinal))
                throw new InvalidOperationException($"{snippet} does not mention {path.Key}");
            text = text.Replace(path.Key, path.Value, StringComparison.Ordinal);
        }
        string copy = Path.Combine(_directory, Path.GetFileName(snippet));
        File.WriteAllText(copy, text);
        return copy;
    }

    /// <summary>
    /// The shipped pgsql all-services snippet (and 2.3's sql args file) with the install directories
    /// replaced, and the site's <paramref name="connectionFile"/> reaching <paramref name="database"/>; returns the snippet to include.
    /// </summary>
    protected string InstallPgsqlSnippet(PgsqlUserdbDatabase database, string connectionFile)
    {
        File.WriteAllText(connectionFile, "");
        File.SetUnixFileMode(connectionFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var paths = new Dictionary<string, string> { ["/etc/dovecot/"] = Etc + "/", ["/usr/share/dovecot-root-helper/"] = Root + "/" };
        if (Generation.Is24())
        {
            File.WriteAllText(connectionFile, $$"""
                pgsql {{database.SocketDirectory}} {
                  parameters {
                    dbname = {{PgsqlUserdbDatabase.Name}}
                    user = {{PgsqlUserdbDatabase.DovecotRole}}
                    password = {{database.DovecotPassword}}
                  }
                }

                """);
            return InstallSnippet(RepositoryLayout.Snippet("dovecot-2.4-all-services-pgsql.conf"), new Dictionary<string, string> { ["/etc/dovecot/"] = Etc + "/" });
        }
        File.WriteAllText(connectionFile, $"connect = host={database.SocketDirectory} dbname={PgsqlUserdbDatabase.Name} user={PgsqlUserdbDatabase.DovecotRole} password={database.DovecotPassword}\n");
        InstallSnippet(RepositoryLayout.Snippet("dovecot-2.3-all-services-pgsql-args.conf"), new Dictionary<string, string> { ["/etc/dovecot/"] = Etc + "/" });
        return InstallSnippet(RepositoryLayout.Snippet("dovecot-2.3-all-services-pgsql.conf"), new Dictionary<string, string> { ["/usr/share/dovecot-root-helper/"] = Root + "/" });
    }

    /// <summary>Whether the hook's config leaves <c>[locations] legacy</c> unset (Dovecot's own location for legacy users).</summary>
    protected virtual bool LegacyUnset => false;

    /// <summary><c>[state] default</c>: the state of users the state file does not list.</summary>
    protected virtual string DefaultState => "legacy";

    /// <summary>Parameters appended to both location templates (":INDEX=...:CONTROL=..."); none by default.</summary>
    protected virtual string LocationParameters => "";

    /// <summary>(Re)writes the hook's config; the hook reads it at every login.</summary>
    /// <param name="postLoginFinish"><c>[dovecot] post-login-finish</c>.</param>
    /// <param name="migratedFromUid"><c>[state] migrated-from-uid</c>, or null to leave the uid rule out.</param>
    public void WriteHelperConfig(string postLoginFinish = "auto", int? migratedFromUid = null)
    {
        string legacy = LegacyUnset ? "" : $"legacy = mbox:~:INBOX={Path.Combine(DovecotDirectory, "spool")}/%u{LocationParameters}";
        string spool = Path.Combine(DovecotDirectory, "spool");
        string uidRule = migratedFromUid is int uid ? string.Create(CultureInfo.InvariantCulture, $"migrated-from-uid = {uid}") : "";
        File.WriteAllText(ConfigPath, $"""
            [dovecot]
            version = {GenerationName}
            post-login-finish = {postLoginFinish}
            doveconf = {RepositoryLayout.PrivateDovecotScript} doveconf {DovecotDirectory}
            user-lookup = {DoveadmCommandLine} user %u

            [locations]
            {legacy}
            migrated = mbox:~/IMAP:INBOX={spool}/%u{LocationParameters}

            [state]
            file = {StatePath}
            default = {DefaultState}
            {uidRule}

            [log]
            decisions = no

            """);
    }

    /// <summary>
    /// Fails unless the master runs where its generation lives (2.3 on the host, 2.4.1 chrooted into
    /// the Debian 13 tree, 2.4.5 into the forky tree) and announced that release when it started
    /// (a forky tree built after testing moved on would hold another). A test named for one must not
    /// pass against another.
    /// </summary>
    private void RequireGeneration()
    {
        string root = new DirectoryInfo($"/proc/{MasterPid}/root").LinkTarget
            ?? throw new InvalidOperationException($"/proc/{MasterPid}/root is not a link");
        bool right = Generation.TreeName() is string tree ? Path.GetFileName(root) == tree : root == "/";
        if (!right)
            throw new InvalidOperationException($"Dovecot {GenerationName}'s master (pid {MasterPid}) runs with root {root}");
        string announced = $"Dovecot v{Generation.Release()}";
        string? started = File.ReadLines(LogPath).LastOrDefault(line => line.Contains("starting up", StringComparison.Ordinal));
        int at = started?.IndexOf(announced, StringComparison.Ordinal) ?? -1;
        // 2.4.1 but not 2.4.10; Debian's "-4" or the space before the commit may follow.
        if (at < 0 || char.IsAsciiDigit(started![at + announced.Length]))
            throw new InvalidOperationException($"{LogPath}: expected {announced} starting up, found: {started ?? "no start line"}");
    }

    /// <summary>
    /// Appends imaproot's <c>[migration]</c> section with kick, who and flush run against this very
    /// Dovecot (who in doveadm's flow format: one line per session and no header on either generation).
    /// </summary>
    protected void AppendMigrationSection(int kickTimeoutSeconds) =>
        File.AppendAllText(ConfigPath, $"""

            [migration]
            journal-dir = {Path.Combine(Etc, "journal")}
            kick = {DoveadmCommandLine} kick %u
            who = {DoveadmCommandLine} -f flow who -1 %u
            flush = {DoveadmCommandLine} auth cache flush %u
            kick-timeout = {kickTimeoutSeconds}

            """);

    /// <summary>"2.3", "2.4" or "2.4.5", as the hook's config and private-dovecot.sh write it.</summary>
    public string GenerationName => Generation.Name();

    private static void Script(IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        Command.Run(RepositoryLayout.PrivateDovecotScript, arguments, environment);

    /// <summary>The first of <paramref name="count"/> adjacent ports free on 127.0.0.1 right now.</summary>
    private static int FreePorts(int count)
    {
        for (int i = 0; i < 50; i++)
        {
            using var first = new TcpListener(IPAddress.Loopback, 0);
            first.Start();
            int port = ((IPEndPoint)first.LocalEndpoint).Port;
            if (port > 65536 - count)
                continue;
            try
            {
                for (int next = 1; next < count; next++)
                {
                    using var listener = new TcpListener(IPAddress.Loopback, port + next);
                    listener.Start();
                    listener.Stop();
                }
                return port;
            }
            catch (SocketException)
            {
            }
        }
        throw new InvalidOperationException($"no {count} free adjacent ports on 127.0.0.1");
    }
}
