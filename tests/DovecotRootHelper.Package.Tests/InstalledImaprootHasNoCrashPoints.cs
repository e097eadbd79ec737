namespace DovecotRootHelper.Package.Tests;

/// <summary>
/// The installed imaproot, run as root, carries no crash point: DOVECOT_ROOT_HELPER_CRASH_AT, the
/// crash-test build's switch, is not in the binary, and setting it where that build would kill
/// itself (inside the usage scan's commit) changes nothing: the scan finishes.
/// </summary>
public sealed class InstalledImaprootHasNoCrashPoints : IDisposable
{
    private readonly TempDirectory _directory = new();

    public InstalledImaprootHasNoCrashPoints() => InstalledPackage.RequireVersion();

    [Fact]
    public void TheVariableIsNotInTheBinary() =>
        Assert.False(CrashBuild.Carries($"{InstalledPackage.LibDirectory}/imaproot"), $"{InstalledPackage.LibDirectory}/imaproot carries {CrashBuild.Variable}");

    [Fact]
    public void SettingTheVariableKillsNothing()
    {
        string log = Path.Combine(_directory.Path, "dovecot.log");
        File.WriteAllText(log, "Nov 29 10:00:00 imap(alice)<1><CE14L3Fh8st/AAAB>: Info: Disconnected: Logged out in=6 out=263\n");
        string config = Path.Combine(_directory.Path, "helper.conf");
        File.WriteAllText(config, File.ReadAllText(InstalledPackage.Config)
            .Replace("database = /var/lib/dovecot-root-helper/usage.sqlite", $"database = {_directory.Path}/usage.sqlite", StringComparison.Ordinal)
            .Replace("logs = /var/log/dovecot.log*", $"logs = {log}", StringComparison.Ordinal));
        var environment = new Dictionary<string, string>
        {
            ["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin",
            [CrashBuild.Variable] = "usage-in-commit-0",
        };
        // The point is reached: the build tree's crash-test build dies there.
        NativeRun killed = NativeProcess.Run(CrashBuild.Imaproot, ["--config", config, "usage", "scan"], environment);
        Assert.True(killed.ExitCode == 128 + 9, $"the crash-test build: expected SIGKILL, got exit {killed.ExitCode}: {killed.Stderr}");

        NativeRun scan = NativeProcess.Run("/usr/sbin/imaproot", ["--config", config, "usage", "scan"], environment);
        Assert.True(scan.ExitCode == 0, $"imaproot usage scan exited {scan.ExitCode}: {scan.Stderr}");
    }

    public void Dispose() => _directory.Dispose();
}
