using System.Net.Sockets;
using System.Text;

namespace DovecotRootHelper.LoginHook.Tests;

/// <summary>
/// The hook's syslog lines, caught on /dev/log. The test machine runs no syslog daemon, so the test
/// binds /dev/log itself for its duration (as root) and removes it after.
/// </summary>
public sealed class SyslogTests : IDisposable
{
    private const string DevLog = "/dev/log";
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);

    public SyslogTests()
    {
        if (File.Exists(DevLog) || Directory.Exists(DevLog))
            throw new InvalidOperationException($"{DevLog} exists (a syslog daemon runs here); these tests need to own it");
        _socket.Bind(new UnixDomainSocketEndPoint(DevLog));
        _socket.ReceiveTimeout = 200;
    }

    public void Dispose()
    {
        _socket.Dispose();
        File.Delete(DevLog);
    }

    [Fact]
    public void WithDecisionsOnEachLoginLogsOneInfoLineToFacilityMail()
    {
        using var scenario = new HookScenario("syslog-alice migrated\n", log: "yes");
        Assert.NotNull(scenario.Login("syslog-alice").Exec);
        string line = Assert.Single(Received("syslog-alice"));
        Assert.StartsWith("<22>", line, StringComparison.Ordinal); // LOG_MAIL | LOG_INFO
        Assert.Contains("dovecot-root-helper[", line, StringComparison.Ordinal);
        Assert.Contains($"user syslog-alice: migrated root {scenario.Home}/IMAP (listed in {scenario.StatePath} line 1)", line, StringComparison.Ordinal);
    }

    [Fact]
    public void WithDecisionsOffASuccessfulLoginLogsNothing()
    {
        using var scenario = new HookScenario("syslog-bob migrated\n", log: "no");
        Assert.NotNull(scenario.Login("syslog-bob").Exec);
        Assert.Empty(Received("syslog-bob"));
    }

    [Fact]
    public void AnErrorIsLoggedAtErrorLevelEvenWithDecisionsOff()
    {
        using var scenario = new HookScenario("syslog-carol bogus\n", log: "no");
        Assert.Null(scenario.Login("syslog-carol").Exec);
        string line = Assert.Single(Received("syslog-carol"));
        Assert.StartsWith("<19>", line, StringComparison.Ordinal); // LOG_MAIL | LOG_ERR
        Assert.Contains("unknown state 'bogus'", line, StringComparison.Ordinal);
    }

    private List<string> Received(string mentioning)
    {
        var lines = new List<string>();
        var buffer = new byte[8192];
        while (true)
        {
            int n;
            try
            {
                n = _socket.Receive(buffer);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut || e.SocketErrorCode == SocketError.WouldBlock)
            {
                return lines;
            }
            string line = Encoding.UTF8.GetString(buffer, 0, n);
            if (line.Contains(mentioning, StringComparison.Ordinal))
                lines.Add(line);
        }
    }
}
