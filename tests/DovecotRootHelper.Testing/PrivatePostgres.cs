using System.Globalization;
using Mono.Unix.Native;

namespace DovecotRootHelper.Testing;

/// <summary>
/// A real PostgreSQL (Debian's, <see cref="BinDirectory"/>) for one test or fixture: a private
/// cluster made with initdb in a temporary directory and started with pg_ctl, listening on a Unix
/// socket in that directory only (no TCP), its superuser <see cref="User"/> reached with
/// <see cref="Password"/> (scram-sha-256). initdb and the server refuse to run as root, so both run
/// as <see cref="Account"/> (the <c>postgres</c> system account the package creates, through
/// setpriv). <see cref="Kill"/> kills the server as a crash would, for fault tests; <see cref="Dispose"/>
/// stops it and removes the directory, leaving no process and no file (at the latest when the test
/// process exits).
/// </summary>
public sealed class PrivatePostgres : IDisposable
{
    /// <summary>Debian 12's PostgreSQL 15 (the package <c>postgresql-15</c>, pulled in by <c>postgresql</c>).</summary>
    public const string BinDirectory = "/usr/lib/postgresql/15/bin";

    /// <summary>The system account the cluster's processes run as.</summary>
    public const string Account = "postgres";

    /// <summary>The cluster's superuser, and the database that always exists.</summary>
    public const string User = "postgres", Database = "postgres";

    /// <summary>The socket's name is .s.PGSQL.PORT in <see cref="SocketDirectory"/>; no TCP port is opened.</summary>
    public const int Port = 5432;

    private readonly uint _uid, _gid;

    // Clusters not yet disposed: stopped and removed when the test process exits at the latest
    // (a test that forgot to dispose, or an xunit run cancelled), as UnixTestAccount does accounts.
    private static readonly HashSet<PrivatePostgres> Running = [];

    static PrivatePostgres() => AppDomain.CurrentDomain.ProcessExit += (_, _) => DisposeAll();

    private PrivatePostgres()
    {
        Passwd account = Syscall.getpwnam(Account)
            ?? throw new InvalidOperationException($"the tests need the Unix account {Account} (apt-get install postgresql)");
        if (!File.Exists(Path.Combine(BinDirectory, "initdb")))
            throw new InvalidOperationException($"the tests need {BinDirectory}/initdb (apt-get install postgresql)");
        _uid = account.pw_uid;
        _gid = account.pw_gid;
        Root = Directory.CreateTempSubdirectory("drh-pg-").FullName;
        File.SetUnixFileMode(Root, TempDirectory.UserAllOthersReadExecute);
        DataDirectory = Path.Combine(Root, "data");
        SocketDirectory = Path.Combine(Root, "socket");
        Password = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        try
        {
            Directory.CreateDirectory(SocketDirectory);
            File.SetUnixFileMode(SocketDirectory, TempDirectory.UserAllOthersReadExecute);
            string passwordFile = Path.Combine(Root, "password");
            File.WriteAllText(passwordFile, Password + "\n");
            File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            foreach (string path in new[] { Root, SocketDirectory, passwordFile })
                Chown(path);
            AsAccount(Path.Combine(BinDirectory, "initdb"), [
                "-D", DataDirectory, "-U", User, "--pwfile", passwordFile,
                "--auth-local=scram-sha-256", "--auth-host=reject", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync", "--no-instructions",
            ]);
            File.Delete(passwordFile);
        }
        catch
        {
            Directory.Delete(Root, recursive: true);
            throw;
        }
        lock (Running)
            Running.Add(this);
    }

    /// <summary>A new cluster, started and accepting connections.</summary>
    public static PrivatePostgres Start()
    {
        var postgres = new PrivatePostgres();
        try
        {
            postgres.StartServer();
            return postgres;
        }
        catch
        {
            postgres.Dispose();
            throw;
        }
    }

    /// <summary>The temporary directory holding the cluster, its socket and its log.</summary>
    public string Root { get; }

    public string DataDirectory { get; }

    /// <summary>Where the server's socket is: a client's <c>host</c>.</summary>
    public string SocketDirectory { get; }

    /// <summary>The socket itself.</summary>
    public string SocketPath => Path.Combine(SocketDirectory, $".s.PGSQL.{Port}");

    /// <summary><see cref="User"/>'s password, fresh for each cluster.</summary>
    public string Password { get; }

    /// <summary>The server's log (pg_ctl -l), for a failing test's message.</summary>
    public string LogFile => Path.Combine(Root, "server.log");

    /// <summary>The postmaster's pid while the server runs, from postmaster.pid; null when it is not running.</summary>
    public int? ServerPid
    {
        get
        {
            string pidFile = Path.Combine(DataDirectory, "postmaster.pid");
            if (!File.Exists(pidFile))
                return null;
            int pid = int.Parse(File.ReadLines(pidFile).First(), CultureInfo.InvariantCulture);
            return IsAlive(pid) ? pid : null;
        }
    }

    /// <summary>(Re)starts the server after <see cref="Stop"/> or <see cref="Kill"/>, and waits until it accepts connections.</summary>
    public void StartServer()
    {
        // -w: pg_ctl returns once the server accepts connections (or fails after -t seconds).
        // fsync off: a test's cluster need not survive a power cut, and it spares the shared disk.
        try
        {
            AsAccount(Path.Combine(BinDirectory, "pg_ctl"), [
                "start", "-D", DataDirectory, "-l", LogFile, "-w", "-t", "60",
                "-o", $"-k {SocketDirectory} -c listen_addresses= -p {Port} -c fsync=off",
            ]);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"{e.Message}\n{LogFile}:\n{string.Join('\n', File.ReadLines(LogFile).TakeLast(10))}", e);
        }
        // pg_ctl's own readiness check is the same as pg_isready's; asked once more over the very socket clients use.
        Command.Run(Path.Combine(BinDirectory, "pg_isready"), ["-q", "-h", SocketDirectory, "-p", Port.ToString(CultureInfo.InvariantCulture), "-t", "30"]);
    }

    /// <summary>Stops the server cleanly (fast shutdown: sessions are ended); the cluster stays for <see cref="StartServer"/>.</summary>
    public void Stop()
    {
        List<int> processes = ServerPid is int pid ? [pid, .. Children(pid)] : [];
        AsAccount(Path.Combine(BinDirectory, "pg_ctl"), ["stop", "-D", DataDirectory, "-m", "fast", "-w", "-t", "60"]);
        // pg_ctl returns once postmaster.pid is gone, a moment before the processes themselves.
        WaitUntilGone(processes, "pg_ctl stop");
    }

    /// <summary>
    /// Kills the postmaster and every process it started with SIGKILL, as a crash or a pulled plug
    /// would, and waits until they are gone; <see cref="StartServer"/> then recovers the cluster.
    /// </summary>
    public void Kill()
    {
        int pid = ServerPid ?? throw new InvalidOperationException("the private PostgreSQL is not running");
        List<int> processes = [pid, .. Children(pid)];
        foreach (int process in processes)
            _ = Syscall.kill(process, Signum.SIGKILL);
        WaitUntilGone(processes, "SIGKILL");
    }

    private static void WaitUntilGone(List<int> processes, string what)
    {
        // Gone means reaped, not only dead: a new postmaster refuses to start while kill(pid, 0)
        // still finds the old one, and a zombie answers it.
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (processes.Any(Exists))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"the private PostgreSQL's processes {string.Join(' ', processes.Where(Exists))} outlived {what} by 30 s");
            Thread.Sleep(20);
        }
    }

    /// <summary>Runs <paramref name="sql"/> with psql as <see cref="User"/> in <paramref name="database"/>; its unaligned, tuples-only output.</summary>
    public string Query(string sql, string database = Database) =>
        Command.Run(Path.Combine(BinDirectory, "psql"), [
            "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
            "-h", SocketDirectory, "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", User, "-d", database, "-c", sql,
        ], new Dictionary<string, string> { ["PGPASSWORD"] = Password, ["PGCONNECT_TIMEOUT"] = "10" });

    /// <summary>Creates the database <paramref name="name"/> (a plain identifier), owned by <see cref="User"/>; returns the name.</summary>
    public string CreateDatabase(string name)
    {
        if (name.Length == 0 || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
            throw new ArgumentException($"{name}: a test database's name is lower-case letters, digits and '_'", nameof(name));
        Query($"CREATE DATABASE {name}");
        return name;
    }

    /// <summary>A connection file (imaproot's <c>[postgresql] conninfo-file</c>, libpq's keys) reaching <paramref name="database"/> over the socket as <see cref="User"/>.</summary>
    public string Conninfo(string database) =>
        $"host = {SocketDirectory}\nport = {Port}\ndbname = {database}\nuser = {User}\npassword = {Password}\nsslmode = disable\n";

    public void Dispose()
    {
        try
        {
            if (ServerPid is not null)
                Stop();
        }
        catch (InvalidOperationException)
        {
            Kill();
        }
        finally
        {
            lock (Running)
                Running.Remove(this);
            if (Directory.Exists(Root))
                Directory.Delete(Root, recursive: true);
        }
    }

    private static void DisposeAll()
    {
        PrivatePostgres[] left;
        lock (Running)
            left = [.. Running];
        foreach (PrivatePostgres postgres in left)
        {
            try
            {
                postgres.Dispose();
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or TimeoutException)
            {
                // The process is exiting: nothing more can be done here.
            }
        }
    }

    private void Chown(string path)
    {
        if (Syscall.chown(path, _uid, _gid) != 0)
            throw new InvalidOperationException($"chown {Account} {path}: {Stdlib.GetLastError()} (the tests must run as root)");
    }

    // setpriv rather than runuser or su: no PAM session, no login shell, only the ids changed.
    // The server's programs chdir to the data directory themselves; the locale is fixed so that
    // initdb does not depend on the caller's.
    private void AsAccount(string program, IEnumerable<string> arguments) =>
        Command.Run("setpriv", [
            $"--reuid={_uid}", $"--regid={_gid}", "--init-groups", "--inh-caps=-all", "--",
            "env", "-C", Root, "LC_ALL=C.UTF-8", program, .. arguments,
        ]);

    private static bool Exists(int pid) => Directory.Exists($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>Whether <paramref name="pid"/> is a running process (a zombie waiting for its parent to reap it is not).</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            return stat[stat.LastIndexOf(')') + 2] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static IEnumerable<int> Children(int parent)
    {
        foreach (string process in Directory.EnumerateDirectories("/proc").Where(d => Path.GetFileName(d).All(char.IsAsciiDigit)))
        {
            string stat = Path.Combine(process, "stat");
            string text;
            try
            {
                text = File.ReadAllText(stat);
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }
            // pid (comm) state ppid ...: comm may hold spaces and parentheses, so read after the last ')'.
            string[] fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            if (int.Parse(fields[1], CultureInfo.InvariantCulture) == parent)
                yield return int.Parse(text[..text.IndexOf(' ')], CultureInfo.InvariantCulture);
        }
    }
}
