using DovecotRootHelper.Decision;

namespace DovecotRootHelper.LoginHook;

/// <summary>
/// Service mode: Dovecot 2.3 runs the hook itself as the post-login service (<c>executable =
/// dovecot-root-helper</c>, no script-login in front). The hook then does script-login's first
/// step too: it accepts imap's connection on the inherited listener, tells the master it is busy,
/// reads the request and the client's socket (<see cref="ScriptLoginRequest"/>), puts the socket on
/// fd 0 and 1 and the connection on fd 3, and carries on exactly as a post-login script whose rest
/// of argv is script-login. One process a login instead of three execs.
/// </summary>
internal static class PostLoginService
{
    // Dovecot 2.3's master-interface.h.
    private const int StatusPipe = 5;      // MASTER_STATUS_FD
    private const int Listener = 7;        // MASTER_LISTEN_FD_FIRST

    /// <summary>Where Debian's Dovecot keeps script-login; exec'd only with <c>post-login-finish = exec</c>.</summary>
    public const string ScriptLogin = "/usr/lib/dovecot/script-login";

    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);

    public static int Run(string argv0, LoginEnvironment service)
    {
        int connection;
        try
        {
            connection = Posix.Posix.Accept(Listener, "the post-login listener (fd 7)");
            ReportBusy(service["GENERATION"]);
        }
        catch (IOException e)
        {
            HookLog.Error($"post-login service: {e.Message}");
            return 1;
        }

        Dictionary<string, string> request;
        int client;
        try
        {
            (byte[] data, client) = Posix.Posix.ReceiveMessage(connection, 64 * 1024, ReadTimeout, ScriptLoginRequest.IsComplete, "the post-login request");
            if (client < 0)
                throw new IOException("the post-login request came without the client's socket");
            request = ScriptLoginRequest.ToEnvironment(data);
        }
        catch (Exception e) when (e is IOException or FormatException)
        {
            // No client socket to answer on (or a request we cannot read): imap sees the connection
            // close without a reply and refuses the login.
            HookLog.Error($"post-login service: {e.Message}");
            return 0;
        }

        Posix.Posix.Duplicate(client, 0, "the client's socket");
        Posix.Posix.Duplicate(client, Posix.Posix.StandardOutput, "the client's socket");
        Posix.Posix.Duplicate(connection, ScriptLoginReply.MailProcessSocket, "the mail process's connection");
        // The master's pipes and the listener go; the runtime may hold /dev/urandom on a descriptor
        // the master left free (4 is only for login services), so only pipes and sockets are closed.
        for (int fd = StatusPipe; fd <= Listener; fd++)
            Posix.Posix.CloseIfPipeOrSocket(fd);
        if (client > Listener)
            Posix.Posix.CloseQuietly(client);
        if (connection > Listener)
            Posix.Posix.CloseQuietly(connection);
        return PostLoginScript.Run(argv0, [ScriptLogin], LoginEnvironment.From(request));
    }

    // struct master_status { pid_t pid; unsigned int uid; unsigned int available_count; }: no more
    // connections for this process, so the master starts another one for the next login.
    private static void ReportBusy(string? generation)
    {
        if (!uint.TryParse(generation, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out uint uid))
            return;
        Span<byte> status = stackalloc byte[12];
        BitConverter.TryWriteBytes(status, Posix.Posix.ProcessId);
        BitConverter.TryWriteBytes(status[4..], uid);
        BitConverter.TryWriteBytes(status[8..], 0u);
        Posix.Posix.WriteAll(StatusPipe, status, "the master's status pipe (fd 5)");
    }

    /// <summary>The environment Dovecot's master starts a service with: it names the parent and the listener count.</summary>
    public static bool IsServiceEnvironment(LoginEnvironment env) =>
        env["DOVECOT_CHILD_PROCESS"] is not null && env["GENERATION"] is not null && env["USERDB_KEYS"] is null;
}
