using System.Runtime.InteropServices;
using DovecotRootHelper.Dovecot;
using DovecotRootHelper.Posix;

namespace DovecotRootHelper.LoginHook;

/// <summary>
/// Service mode: Dovecot 2.3's master runs the hook itself as the post-login service (<c>executable =
/// dovecot-root-helper</c>, no script-login). The process stays and serves one login after another
/// (up to <c>service_count</c>; unlimited by default): it accepts imap's connection on the inherited
/// listener, tells the master it is busy, reads the request and the client's socket
/// (<see cref="ScriptLoginRequest"/>), decides exactly as the post-login script does, reading the
/// config and the state file afresh for every login, and hands imap the reply and the socket (or
/// writes the refusal line to the client). No process is started for a login. Before anything else
/// it drops to the service's user, as Dovecot's own services do. It speaks Dovecot 2.3's master
/// protocol (checked against 2.3.19) and runs only under a master that says it is a generation whose
/// protocol it knows (<c>DOVECOT_VERSION</c>, which every master since 2.0 puts in its services'
/// environment unless <c>version_ignore = yes</c>); 2.4's differs (fd 7 is its configuration).
/// </summary>
internal static class PostLoginService
{
    // Dovecot 2.3's master-interface.h.
    private const int StatusPipe = 5;      // MASTER_STATUS_FD
    private const int MasterDeadPipe = 6;  // MASTER_DEAD_FD: hangs up when the master goes
    private const int Listener = 7;        // MASTER_LISTEN_FD_FIRST

    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);

    private static readonly object Busy = new();
    private static volatile bool _stopping;

    /// <summary>The environment Dovecot's master starts a service with.</summary>
    public static bool IsServiceEnvironment(LoginEnvironment env) =>
        env.Has("DOVECOT_CHILD_PROCESS") && env.Has("GENERATION") && !env.Has("USERDB_KEYS");

    public const string VersionVariable = "DOVECOT_VERSION";

    public static int Run(string argv0, LoginEnvironment service)
    {
        string? version = service[VersionVariable];
        DovecotGeneration? master = DovecotGeneration.OfVersion(version);
        if (master is null || !master.PostLoginServiceChecked)
        {
            HookLog.Error(version is null
                ? $"post-login service: the master did not say its version ({VersionVariable}; version_ignore = yes?) and the service speaks only Dovecot 2.3's master protocol: use the post-login script (see the README)"
                : $"post-login service: refusing to run under Dovecot {version}: the service speaks only Dovecot 2.3's master protocol (checked on 2.3.19): use the post-login script (see the README)");
            return ExitCodes.ServiceFailed;
        }

        // Check the master's descriptors before anything opens descriptors of its own: a status
        // report written to whatever happens to be fd 5 could land in the runtime's signal pipe.
        if (!Sys.IsPipe(StatusPipe) || !Sys.IsPipe(MasterDeadPipe) || !Sys.IsSocket(Listener))
        {
            HookLog.Error("post-login service: fd 5 and 6 must be the master's pipes and fd 7 its listener: run the hook as a Dovecot service or with arguments (see the README)");
            return ExitCodes.ServiceFailed;
        }
        uint? generation = Number(service["GENERATION"]);
        uint logins = Number(service["SERVICE_COUNT"]) ?? 0;
        // The master asks an idle process to go with SIGINT (idle_kill) and every process with
        // SIGTERM at shutdown: leave at once when idle, after the login in hand otherwise. .NET leaves
        // a SIGINT that was ignored when the process started ignored (so that children exec'd later keep
        // ignoring it), and a master started from a non-interactive shell's background job passes
        // SIGINT on ignored: the service would then never leave when idle. Take both back first.
        Sys.RestoreDefaultInterruptAndTerminate();
        using PosixSignalRegistration interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using PosixSignalRegistration terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        try
        {
            BecomeServiceUser(service);
            ReportAvailable(generation, 1);
            for (uint served = 0; logins == 0 || served < logins;)
            {
                // A signal that came while a login was in hand found Busy taken and left it to us.
                if (_stopping || !Sys.WaitForConnection(Listener, MasterDeadPipe))
                    return ExitCodes.Ok;
                lock (Busy)
                {
                    int accepted = Sys.TryAccept(Listener, "the post-login listener (fd 7)");
                    if (accepted < 0)
                        continue;
                    using var connection = FileDescriptor.Own(accepted);
                    ReportAvailable(generation, 0);
                    bool keepGoing = Serve(argv0, connection, master, version!);
                    served++;
                    if (_stopping || !keepGoing)
                        return ExitCodes.Ok;
                    ReportAvailable(generation, 1);
                }
            }
            return ExitCodes.Ok;
        }
        catch (IOException e)
        {
            HookLog.Error($"post-login service: {e.Message}");
            return ExitCodes.ServiceFailed;
        }
    }

    /// <summary>One login; false if the process should not serve another (a bug was caught).</summary>
    private static bool Serve(string argv0, FileDescriptor connection, DovecotGeneration master, string version)
    {
        FileDescriptor? client = null;
        try
        {
            (byte[] data, int received) = Sys.ReceiveMessage(connection.Number, 64 * 1024, ReadTimeout, ScriptLoginRequest.IsComplete, "the post-login request");
            client = received < 0 ? null : FileDescriptor.Own(received);
            if (client is null)
                throw new IOException("the post-login request came without the client's socket");
            var env = LoginEnvironment.From(ScriptLoginRequest.ToEnvironment(data));
            bool pop3 = PostLoginScript.IsPop3(argv0, env[PostLoginScript.ProtocolVariable]);
            PostLoginOutcome outcome = PostLoginScript.Decide(env);
            if (outcome.Refused)
                LoginRefusal.Refuse(pop3, outcome.Refusal, client.Number);
            else if (outcome.Config.Generation != master)
            {
                HookLog.Error($"login refused for {env["USER"]}: {outcome.Config.Path}: [dovecot] version = {outcome.Config.Generation.Name}, but the master is Dovecot {version}");
                LoginRefusal.Refuse(pop3, LoginRefusal.Unavailable, client.Number);
            }
            else if (!ScriptLoginFinish.TrySend(env, connection.Number, client.Number))
                LoginRefusal.Refuse(pop3, LoginRefusal.Unavailable, client.Number);
            return true;
        }
        catch (Exception e) when (e is IOException or FormatException)
        {
            // A request we cannot read: imap sees the connection close without a reply and refuses the login.
            HookLog.Error($"post-login service: {e.Message}");
            return true;
        }
        catch (Exception e)
        {
            HookLog.Error($"post-login service: login refused after an unexpected error, restarting: {e.GetType().Name}: {e.Message}");
            return false;
        }
        finally
        {
            client?.Dispose();
        }
    }

    /// <summary>
    /// The master starts every service as root and leaves dropping to the service's <c>user</c> to the
    /// process (restrict_access_by_env in Dovecot's own services): RESTRICT_SETUID, RESTRICT_SETGID
    /// and RESTRICT_SETEXTRAGROUPS say to what. A chroot is not supported: refuse rather than run
    /// outside it.
    /// </summary>
    private static void BecomeServiceUser(LoginEnvironment service)
    {
        if (!string.IsNullOrEmpty(service["RESTRICT_CHROOT"]))
            throw new IOException($"chroot = {service["RESTRICT_CHROOT"]} is not supported for the post-login service");
        uint? uid = Number(service["RESTRICT_SETUID"]);
        uint? gid = Number(service["RESTRICT_SETGID"]);
        if (uid is null && gid is null)
            return;
        if (uid is null || gid is null)
            throw new IOException("the master set only one of RESTRICT_SETUID and RESTRICT_SETGID");
        var groups = new List<uint> { gid.Value };
        foreach (string extra in (service["RESTRICT_SETEXTRAGROUPS"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            uint group = Number(extra) ?? throw new IOException($"RESTRICT_SETEXTRAGROUPS: '{extra}' is not a gid");
            if (!groups.Contains(group))
                groups.Add(group);
        }
        Sys.DropPrivileges(uid.Value, gid.Value, [.. groups]);
    }

    private static void Stop(PosixSignalContext context)
    {
        context.Cancel = true;
        _stopping = true;
        if (Monitor.TryEnter(Busy))
            Environment.Exit(0);
    }

    // struct master_status { pid_t pid; unsigned int uid; unsigned int available_count; }: how many
    // more connections this process takes now, so the master starts another process when all are busy.
    private static void ReportAvailable(uint? generation, uint available)
    {
        if (generation is not uint uid)
            return;
        Span<byte> status = stackalloc byte[12];
        BitConverter.TryWriteBytes(status, Sys.ProcessId);
        BitConverter.TryWriteBytes(status[4..], uid);
        BitConverter.TryWriteBytes(status[8..], available);
        Sys.WriteAll(StatusPipe, status, "the master's status pipe (fd 5)");
    }

    private static uint? Number(string? text) =>
        uint.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out uint value) ? value : null;
}
