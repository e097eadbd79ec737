using System.Globalization;
using System.Net;
using System.Net.Sockets;
using DovecotRootHelper.EndToEnd.Tests.Infrastructure;

namespace DovecotRootHelper.EndToEnd.Tests;

/// <summary>
/// Dovecot's master binds its listeners, daemonizes (the <c>dovecot</c> command returns), logs
/// "starting up" and only then writes its pid file (src/master/main.c): a port that answers does not
/// mean the pid file is there. private-dovecot.sh's <c>start</c>, which every fixture goes through,
/// returns only when the pid file names a live master and the log says it started. Shown with a
/// stand-in <c>dovecot</c> that is as slow as a loaded machine makes the real one, while the IMAP
/// port already answers.
/// </summary>
public sealed class PrivateDovecotIsUpBeforeAnyTestRuns : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("dovecot-root-helper-e2e-start.").FullName;

    [Fact]
    public void StartReturnsOnlyWhenThePidFileNamesALiveMasterAndTheLogSaysItStarted()
    {
        using var imap = new TcpListener(IPAddress.Loopback, 0);
        imap.Start();
        string port = ((IPEndPoint)imap.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
        string dovecot = Path.Combine(_root, "dovecot");
        Command.Run(RepositoryLayout.PrivateDovecotScript, ["config", dovecot, port], new Dictionary<string, string> { ["GENERATION"] = "2.3" });
        string bin = Directory.CreateDirectory(Path.Combine(_root, "bin")).FullName;
        File.WriteAllText(Path.Combine(bin, "dovecot"), SlowDovecot);
        File.SetUnixFileMode(Path.Combine(bin, "dovecot"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        Command.Run(RepositoryLayout.PrivateDovecotScript, ["start", dovecot],
            new Dictionary<string, string> { ["PATH"] = $"{bin}:{Environment.GetEnvironmentVariable("PATH")}" });

        string pid = File.ReadAllText(Path.Combine(dovecot, "run", "master.pid")).Trim();
        Assert.True(Directory.Exists($"/proc/{pid}"), $"master.pid names {pid}, which is not running");
        Assert.Contains("starting up", File.ReadAllText(Path.Combine(dovecot, "dovecot.log")), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        string pidFile = Path.Combine(_root, "dovecot", "run", "master.pid");
        if (File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture, out int pid))
        {
            try
            {
                System.Diagnostics.Process.GetProcessById(pid).Kill();
            }
            catch (ArgumentException)
            {
                // Gone already.
            }
        }
        Directory.Delete(_root, recursive: true);
    }

    /// <summary>
    /// A stand-in for the master (its listeners are the test's): it returns at once, as the real one
    /// does once it has daemonized, and a second later logs "starting up", then writes its pid file
    /// (empty first, as the real one's O_TRUNC open leaves it for a moment).
    /// </summary>
    private const string SlowDovecot = """
        #!/bin/sh
        conf=$2
        base=$(sed -n 's/^base_dir = //p' "$conf")
        log=$(sed -n 's/^log_path = //p' "$conf")
        (
            sleep 1
            echo "master: Info: Dovecot v2.3.19 (stand-in) starting up for imap, pop3" >> "$log"
            : > "$base/master.pid"
            sleep 0.5
            exec sh -c 'echo $$ > "$1" && exec sleep 60' sh "$base/master.pid"
        ) </dev/null >/dev/null 2>&1 &
        exit 0

        """;
}
