
namespace DovecotRootHelper.Package.Tests;

/// <summary>
/// The installed dovecot-root-helper package, as dpkg knows it. <c>./build.sh test</c> builds the .deb
/// and installs it with apt-get before these tests; without it they fail, saying so.
/// </summary>
public static class InstalledPackage
{
    public const string Name = "dovecot-root-helper";
    public const string LibDirectory = "/usr/lib/dovecot-root-helper";
    public const string ShareDirectory = "/usr/share/dovecot-root-helper";
    public const string StateDirectory = "/var/lib/dovecot-root-helper";
    public const string Config = "/etc/dovecot-root-helper.conf";

    /// <summary>The installed version; an exception when the package is not installed.</summary>
    public static string RequireVersion()
    {
        string status = Query("${db:Status-Status}");
        if (status != "installed")
            throw new InvalidOperationException($"{Name} is not installed ({(status.Length == 0 ? "unknown to dpkg" : status)}): ./build.sh test builds and installs it before these tests");
        return Query("${Version}");
    }

    /// <summary>
    /// The installed version, installing the build tree's .deb (artifacts/deb, as <c>./build.sh
    /// package</c> leaves it) first when a test before purged it: each purge test starts installed.
    /// </summary>
    public static string EnsureInstalled()
    {
        if (Query("${db:Status-Status}") != "installed")
        {
            string[] debs = Directory.Exists(RepositoryRoot.Combine("artifacts", "deb"))
                ? Directory.GetFiles(RepositoryRoot.Combine("artifacts", "deb"), $"{Name}_*_amd64.deb")
                : [];
            if (debs.Length != 1)
                throw new InvalidOperationException($"{Name} is not installed and artifacts/deb holds {debs.Length} package(s) to install: run ./build.sh package");
            NativeRun install = AptGet("install", debs[0]);
            if (install.ExitCode != 0)
                throw new InvalidOperationException($"apt-get install {debs[0]} exited {install.ExitCode}: {install.Stderr}");
        }
        return RequireVersion();
    }

    /// <summary>dpkg -L: every path the package installed.</summary>
    public static List<string> Files() =>
        [.. Command.Run("dpkg-query", ["-L", Name]).Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(p => p != "/.")];

    public static string Query(string format)
    {
        NativeRun run = NativeProcess.Run("/usr/bin/dpkg-query", ["-W", "-f=" + format, Name]);
        return run.ExitCode == 0 ? run.Stdout : "";
    }

    /// <summary>Runs apt-get non-interactively; its output, both streams.</summary>
    public static NativeRun AptGet(params string[] arguments) =>
        NativeProcess.Run("/usr/bin/apt-get", ["-y", .. arguments], new Dictionary<string, string>
        {
            ["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin",
            ["DEBIAN_FRONTEND"] = "noninteractive",
        }, timeoutSeconds: 300);
}
