using System.Net.Sockets;
using System.Text;

namespace DovecotRootHelper.LoginHook.Tests;

/// <summary>
/// Starts the published hook the way Dovecot 2.3's master starts a service (status pipe on fd 5, the
/// master's dead pipe on fd 6, a non-blocking listener on fd 7, DOVECOT_CHILD_PROCESS, GENERATION and
/// DOVECOT_VERSION set) and plays imap: connects, sends script-login's request with a client socket attached and
/// reads what comes back.
/// </summary>
public sealed class FakeMaster : IDisposable
{
    public const uint Generation = 42;

    /// <summary>What Debian 12's master puts in DOVECOT_VERSION.</summary>
    public const string Version = "2.3.19 (9fe2a3a2e7)";

    private readonly HookScenario _scenario;
    private readonly Socket _listener;
    private readonly string _socketPath;
    private readonly int _statusRead;
    private int _deadWrite;

    /// <param name="sigintIgnored">start the hook with SIGINT ignored, as a master started from a non-interactive shell's background job would</param>
    public FakeMaster(HookScenario scenario, string? serviceCount = null, bool sigintIgnored = false)
    {
        _scenario = scenario;
        _socketPath = Path.Combine(scenario.Dir, "imap-postlogin");
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(_socketPath));
        _listener.Listen(8);
        _listener.Blocking = false;
        (_statusRead, int statusWrite) = NativeIpc.Pipe();
        (int deadRead, _deadWrite) = NativeIpc.Pipe();
        var env = new Dictionary<string, string> { ["DOVECOT_CHILD_PROCESS"] = "1", ["GENERATION"] = Generation.ToString(System.Globalization.CultureInfo.InvariantCulture), ["DOVECOT_VERSION"] = Version };
        if (serviceCount is not null)
            env["SERVICE_COUNT"] = serviceCount;
        (int From, int To)[] descriptors = [(statusWrite, 5), (deadRead, 6), ((int)_listener.Handle, 7)];
        // An ignored signal stays ignored across exec: the shell ignores SIGINT, then becomes the hook.
        Pid = sigintIgnored
            ? NativeIpc.Spawn("/bin/sh", ["-c", "trap '' INT; exec \"$0\"", PublishedHook.Binary], env, descriptors, StderrPath)
            : NativeIpc.Spawn(PublishedHook.Binary, [], env, descriptors, StderrPath);
        NativeIpc.Close(statusWrite);
        NativeIpc.Close(deadRead);
    }

    public int Pid { get; }

    public string StderrPath => Path.Combine(_scenario.Dir, "service.stderr");

    public string Stderr => File.ReadAllText(StderrPath);

    /// <summary>The next master_status the hook wrote: (pid, generation, connections it takes now).</summary>
    public (int Pid, uint Generation, uint Available) NextStatus()
    {
        byte[] status = NativeIpc.ReadExactly(_statusRead, 12, TimeSpan.FromSeconds(10));
        return (BitConverter.ToInt32(status, 0), BitConverter.ToUInt32(status, 4), BitConverter.ToUInt32(status, 8));
    }

    /// <summary>What imap got for one login: the reply line (null if the connection closed without one), whether our client socket came back with it, what the client was sent.</summary>
    public sealed record Answer(string? Reply, bool SentClientSocket, string ClientSaw);

    public Answer Login(string user, string uid = "1001")
    {
        string request = "VERSION\tscript-login\t1\t0\n"
            + $"127.0.0.1\t192.0.2.9\t{user}\thome={_scenario.Home}\tuid={uid}\tgid={uid}\tdovecot_root_helper_config={_scenario.ConfigPath}\n";
        return Send(Encoding.UTF8.GetBytes(request), withClient: true);
    }

    public Answer Send(byte[] request, bool withClient)
    {
        using var imap = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        imap.Connect(new UnixDomainSocketEndPoint(_socketPath));
        (int clientOurs, int clientTheirs) = NativeIpc.SocketPair();
        try
        {
            ulong clientEnd = NativeIpc.Inode(clientTheirs);
            if (withClient)
                NativeIpc.Send((int)imap.Handle, request, clientTheirs);
            else
                imap.Send(request);
            NativeIpc.Close(clientTheirs);
            clientTheirs = -1;
            (string? reply, int fd) = NativeIpc.Receive((int)imap.Handle, TimeSpan.FromSeconds(15));
            bool sentClient = fd >= 0 && NativeIpc.Inode(fd) == clientEnd;
            NativeIpc.Close(fd);
            return new Answer(reply, sentClient, NativeIpc.Drain(clientOurs));
        }
        finally
        {
            NativeIpc.Close(clientOurs);
            NativeIpc.Close(clientTheirs);
        }
    }

    /// <summary>What the master's death looks like to its children: the dead pipe's write end closes.</summary>
    public void CloseDeadPipe()
    {
        NativeIpc.Close(_deadWrite);
        _deadWrite = -1;
    }

    private int? _exit;

    /// <summary>The hook's exit status, or null if it is still running after <paramref name="seconds"/>.</summary>
    public int? WaitForExit(int seconds = 10) => _exit ??= NativeIpc.Wait(Pid, TimeSpan.FromSeconds(seconds));

    public void Dispose()
    {
        if (WaitForExit(0) is null)
        {
            NativeIpc.Kill(Pid, 9);
            _ = NativeIpc.Wait(Pid, TimeSpan.FromSeconds(5));
        }
        NativeIpc.Close(_statusRead);
        NativeIpc.Close(_deadWrite);
        _listener.Dispose();
    }
}
