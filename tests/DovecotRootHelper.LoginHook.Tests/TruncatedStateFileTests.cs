using System.Text;

namespace DovecotRootHelper.LoginHook.Tests;

/// <summary>
/// A state file truncated in place while the hook scans it (issue 10, defect 8: `&gt; state`, or an
/// editor writing in place): the login is refused for now in one line, never a SIGBUS with nothing
/// said to the client, never an answer from half a file.
/// </summary>
/// <remarks>
/// Deterministic, without FUSE or a race: a small LD_PRELOAD library truncates the state file to
/// half its size (at a page boundary) right after the hook's first mmap or pread of it returns, i.e. at the moment the
/// hook has started reading and still has the rest to go. The hook itself is the published binary,
/// unchanged; only the moment of the truncation is chosen.
/// </remarks>
public class TruncatedStateFileTests
{
    private const string Shim = """
        #define _GNU_SOURCE
        #include <dlfcn.h>
        #include <limits.h>
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>
        #include <sys/mman.h>
        #include <sys/stat.h>
        #include <unistd.h>

        static int done;

        /* After the first successful read or mapping of the file named by DRH_TEST_TRUNCATE: truncate it to
           about half, at a page boundary (past the end of a last partial page a mapping reads zeros; a
           whole page past it is a SIGBUS). */
        static void after(int fd, int ok)
        {
            const char *target = getenv("DRH_TEST_TRUNCATE");
            char link[64], path[PATH_MAX];
            struct stat st;
            if (done || !ok || fd < 0 || target == NULL)
                return;
            snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
            ssize_t n = readlink(link, path, sizeof path - 1);
            if (n < 0)
                return;
            path[n] = 0;
            if (strcmp(path, target) != 0 || fstat(fd, &st) != 0)
                return;
            done = 1;
            if (truncate(target, (st.st_size / 2) & ~(off_t)4095) != 0)
                _exit(99);
        }

        void *mmap(void *address, size_t length, int protection, int flags, int fd, off_t offset)
        {
            void *(*real)(void *, size_t, int, int, int, off_t) = dlsym(RTLD_NEXT, "mmap");
            void *result = real(address, length, protection, flags, fd, offset);
            after(fd, result != MAP_FAILED);
            return result;
        }

        ssize_t pread(int fd, void *buffer, size_t count, off_t offset)
        {
            ssize_t (*real)(int, void *, size_t, off_t) = dlsym(RTLD_NEXT, "pread");
            ssize_t result = real(fd, buffer, count, offset);
            after(fd, result > 0);
            return result;
        }
        """;

    [Theory]
    [InlineData(10_000)]   // 210 KB, under the scan's 256 KiB buffer: one read, the change seen by fstat afterwards
    [InlineData(200_000)]  // 4.2 MB: the truncation cuts a later read short
    public void ATruncationDuringTheScanRefusesTheLoginForNow(int users)
    {
        using var scenario = new HookScenario(StateFile(users));
        string shim = Compile(scenario.Dir);
        string user = $"user{users - 3:D7}";
        Dictionary<string, string> env = scenario.LoginEnvironment(user);
        env["LD_PRELOAD"] = shim;

        // The shim loaded but given another file: the login gets its root, so what follows is the truncation's doing.
        env["DRH_TEST_TRUNCATE"] = scenario.ConfigPath + ".not-read";
        (HookRun control, ExecRecord? controlExec) = scenario.Login(env);
        Assert.Equal("", control.Stderr);
        Assert.Equal($"mbox:{scenario.Home}/IMAP:INBOX=/var/mail/{user}", controlExec?.Environment["MAIL"]);

        env["DRH_TEST_TRUNCATE"] = scenario.StatePath;
        long before = new FileInfo(scenario.StatePath).Length;
        (HookRun run, ExecRecord? exec) = scenario.Login(env);

        Assert.Equal((before / 2) & ~4095L, new FileInfo(scenario.StatePath).Length); // the shim did truncate it
        Assert.Equal(0, run.ExitCode); // 135 (128 + SIGBUS) before issue 10's defect 8 was fixed
        Assert.Null(exec);
        Assert.Equal("* BYE [UNAVAILABLE] Mail service is temporarily unavailable; please try again later.\r\n", run.Stdout);
        Assert.Contains($"login refused for {user}: cannot decide the IMAP root: {scenario.StatePath}: changed while it was read", run.Stderr, StringComparison.Ordinal);
        Assert.Single(run.Stderr.TrimEnd('\n').Split('\n'));
    }

    // user0000000 upwards, every one migrated, no index (imaproot never wrote it): the whole-file scan.
    private static string StateFile(int users)
    {
        var text = new StringBuilder(users * 25);
        for (int i = 0; i < users; i++)
            text.Append("user").Append(i.ToString("D7", System.Globalization.CultureInfo.InvariantCulture)).Append(" migrated\n");
        return text.ToString();
    }

    private static string Compile(string dir)
    {
        string source = Path.Combine(dir, "truncate-shim.c");
        string library = Path.Combine(dir, "truncate-shim.so");
        File.WriteAllText(source, Shim);
        NativeRun run = NativeProcess.Run("clang", ["-shared", "-fPIC", "-O1", "-o", library, source, "-ldl"], timeoutSeconds: 120);
        Assert.True(run.ExitCode == 0, run.Stderr);
        return library;
    }
}
