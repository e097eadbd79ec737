using Mono.Unix.Native;

namespace DovecotRootHelper.Package.Tests;

/// <summary>
/// The installed package is laid out as a Debian administrator expects (as dovecot-core keeps its
/// helpers), carries the repository's version, ships exactly the build tree's snippets, config, man
/// pages and completion, and enables nothing: installing it changes no login.
/// </summary>
public class InstalledLayoutIsDebians
{
    private readonly string _version = InstalledPackage.RequireVersion();

    [Fact]
    public void VersionIsTheChangelogsAndBothProgramsPrintIt()
    {
        Assert.Equal(DebianChangelog.Version, _version);
        Assert.Equal($"imaproot {_version}\n", Run("/usr/sbin/imaproot", "--version").Stdout);
        Assert.Equal($"dovecot-root-helper {_version}\n", Run($"{InstalledPackage.LibDirectory}/dovecot-root-helper", "--version").Stdout);
        Assert.Equal($"dovecot-root-helper {_version}\n", Run($"{InstalledPackage.LibDirectory}/dovecot-root-helper-pop3", "--version").Stdout);
    }

    [Fact]
    public void ProgramsLiveInUsrLibWithRelativeLinks()
    {
        AssertMode($"{InstalledPackage.LibDirectory}/dovecot-root-helper", FilePermissions.S_IFREG, 0x1ED);
        AssertMode($"{InstalledPackage.LibDirectory}/imaproot", FilePermissions.S_IFREG, 0x1ED);
        AssertMode($"{InstalledPackage.LibDirectory}/libMonoPosixHelper.so", FilePermissions.S_IFREG, 0x1A4);
        Assert.Equal("dovecot-root-helper", ReadLink($"{InstalledPackage.LibDirectory}/dovecot-root-helper-pop3"));
        Assert.Equal("../lib/dovecot-root-helper/imaproot", ReadLink("/usr/sbin/imaproot"));
        // Stripped: no symbol table and no DWARF left in what is shipped.
        foreach (string binary in new[] { "dovecot-root-helper", "imaproot", "libMonoPosixHelper.so" })
        {
            string sections = Command.Run("readelf", ["-S", "-W", $"{InstalledPackage.LibDirectory}/{binary}"]);
            Assert.DoesNotContain(" .symtab ", sections, StringComparison.Ordinal);
            Assert.DoesNotContain(" .debug_", sections, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TheSharedLibraryNeedsOnlyTheLibrariesItUses()
    {
        // libMonoPosixHelper.so comes linked against glibc's pre-2.34 librt, libdl and libpthread
        // (empty since): debian/rules drops them, so dpkg-shlibdeps has no useless dependency to warn of.
        string library = $"{InstalledPackage.LibDirectory}/libMonoPosixHelper.so";
        List<string> needed = [.. System.Text.RegularExpressions.Regex.Matches(Command.Run("readelf", ["-d", "-W", library]), @"\(NEEDED\)\s+Shared library: \[([^\]]+)\]")
            .Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal)];
        Assert.Equal(["libc.so.6", "libm.so.6", "libz.so.1"], needed);
        // What ld.so asserts at load: every version need names a library that is loaded.
        var versionFiles = System.Text.RegularExpressions.Regex.Matches(Command.Run("readelf", ["-V", "-W", library]), @"File: (\S+)").Select(m => m.Groups[1].Value);
        Assert.All(versionFiles, file => Assert.Contains(file, needed));
    }

    [Fact]
    public void ConfigIsAConffileAndTheStateFileIsNeverAPackageFile()
    {
        Assert.Contains($" {InstalledPackage.Config} ", InstalledPackage.Query("${Conffiles}"), StringComparison.Ordinal);
        Assert.Equal(File.ReadAllText(RepositoryRoot.Combine("packaging", "dovecot-root-helper.conf")), File.ReadAllText(InstalledPackage.Config));
        List<string> files = InstalledPackage.Files();
        Assert.Contains(InstalledPackage.StateDirectory, files);
        Assert.DoesNotContain(files, f => f.StartsWith(InstalledPackage.StateDirectory + "/", StringComparison.Ordinal));
        // postinst made it, with its index and userdb, so that imaproot check finds the state clean
        // from the start; and installing changes no login, which check says of the system's Dovecot
        // until the admin includes a snippet (a step left out is never ok).
        AssertMode($"{InstalledPackage.StateDirectory}/state", FilePermissions.S_IFREG, 0x1A4);
        NativeRun check = NativeProcess.Run("/usr/sbin/imaproot", ["check"], new Dictionary<string, string> { ["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin", ["LC_ALL"] = "C.UTF-8" });
        Assert.True(check.ExitCode == 4, $"imaproot check exited {check.ExitCode}: {check.Stdout}{check.Stderr}");
        Assert.Contains($"index: {InstalledPackage.StateDirectory}/state.index: current", check.Stdout, StringComparison.Ordinal);
        Assert.Contains("Dovecot runs nothing of dovecot-root-helper ('doveconf -n'): no userdb reads /var/lib/dovecot-root-helper/userdb", check.Stdout, StringComparison.Ordinal);
        Assert.Equal("imaproot: 1 problem(s) found\n", check.Stderr);
    }

    [Fact]
    public void EverySnippetIsShippedAsInTheBuildTreeAndNoneIsEnabled()
    {
        string[] sources = Directory.GetFiles(RepositoryRoot.Combine("packaging", "dovecot"), "*.conf");
        Assert.NotEmpty(sources);
        Assert.Equal(
            sources.Select(Path.GetFileName).Order(StringComparer.Ordinal),
            Directory.GetFiles(InstalledPackage.ShareDirectory, "*.conf").Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (string source in sources)
            Assert.Equal(File.ReadAllText(source), File.ReadAllText(Path.Combine(InstalledPackage.ShareDirectory, Path.GetFileName(source))));
        // Installing changes no login: nothing under /etc/dovecot names the package.
        NativeRun grep = NativeProcess.Run("/usr/bin/grep", ["-rlsE", "dovecot-root-helper", "/etc/dovecot"]);
        Assert.Equal("", grep.Stdout);
    }

    [Theory]
    [InlineData("8", "imaproot")]
    [InlineData("8", "dovecot-root-helper")]
    [InlineData("5", "dovecot-root-helper.conf")]
    public void ManPagesAreFoundByNameAndRenderWithoutWarnings(string section, string page)
    {
        string path = Run("/usr/bin/man", "-w", section, page).Stdout.Trim();
        Assert.Equal($"/usr/share/man/man{section}/{page}.{section}.gz", path);
        // As lintian checks them.
        NativeRun render = NativeProcess.Run("/usr/bin/man", ["--warnings", "-E", "UTF-8", "-l", "-Tutf8", "-Z", path], new Dictionary<string, string>
        {
            ["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin",
            ["LC_ALL"] = "C.UTF-8",
            ["MANROFFSEQ"] = "",
            ["MANWIDTH"] = "80",
        });
        Assert.Equal(0, render.ExitCode);
        Assert.Equal("", render.Stderr);
        Assert.NotEqual("", render.Stdout);
    }

    [Fact]
    public void CompletionIsTheBuildTreesAndLoadsByName()
    {
        string installed = "/usr/share/bash-completion/completions/imaproot";
        Assert.Equal(File.ReadAllText(RepositoryRoot.Combine("packaging", "bash-completion", "imaproot")), File.ReadAllText(installed));
        NativeRun bash = Run("/bin/bash", "-c", ". /usr/share/bash-completion/bash_completion && __load_completion imaproot && complete -p imaproot");
        Assert.StartsWith("complete -F ", bash.Stdout, StringComparison.Ordinal);
        Assert.EndsWith(" imaproot\n", bash.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void SystemdUnitsAreShippedAndNotEnabled()
    {
        foreach (string unit in new[] { "imaproot-run-due.service", "imaproot-run-due.timer", "imaproot-migrate@.service" })
            Assert.Equal(File.ReadAllText(RepositoryRoot.Combine("packaging", "systemd", unit)), File.ReadAllText($"/lib/systemd/system/{unit}"));
        Assert.False(File.Exists("/etc/systemd/system/timers.target.wants/imaproot-run-due.timer"));
        if (Directory.Exists("/etc/systemd/system"))
            Assert.Empty(Directory.EnumerateFileSystemEntries("/etc/systemd/system", "imaproot*", SearchOption.AllDirectories));
    }

    private static NativeRun Run(string program, params string[] arguments)
    {
        NativeRun run = NativeProcess.Run(program, arguments, new Dictionary<string, string> { ["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin", ["LC_ALL"] = "C.UTF-8" });
        Assert.True(run.ExitCode == 0, $"{program} {string.Join(' ', arguments)} exited {run.ExitCode}: {run.Stderr}");
        return run;
    }

    private static string ReadLink(string path) =>
        new FileInfo(path).LinkTarget ?? throw new InvalidOperationException($"{path} is not a symlink");

    private static void AssertMode(string path, FilePermissions type, int mode)
    {
        Assert.Equal(0, Syscall.lstat(path, out Stat st));
        Assert.Equal(type, st.st_mode & FilePermissions.S_IFMT);
        Assert.Equal(Convert.ToString(mode, 8), Convert.ToString((int)st.st_mode & 0xFFF, 8));
        Assert.Equal(0u, st.st_uid);
    }
}
