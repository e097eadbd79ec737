using DovecotRootHelper.Migration;
using DovecotRootHelper.Posix;
using Mono.Unix.Native;

namespace DovecotRootHelper.Cli.Tests;

/// <summary>
/// The published imaproot, as root, with a journal someone else could have written (a world-writable
/// journal-dir, a file of another owner or mode, a symlink) or one that names another home, uid or
/// user than the account database: status says in one line why it is refused instead of advertising
/// resume, resume and resume --rollback refuse it in one line (exit 4), nothing is renamed inside or
/// outside the home, and the state file is left as it was.
/// </summary>
public class PlantedJournalIsRefused
{
    private const uint Nobody = 65534;

    public static TheoryData<string> Plants() => new(
        "as reported", "world-writable directory", "file owned by another user", "file mode 0666",
        "file is a symlink", "another home", "another uid", "another user");

    [Theory]
    [MemberData(nameof(Plants))]
    public void StatusSaysWhyAndResumeRenamesNothing(string plant)
    {
        // Its own account: test classes run in parallel, and another class's scenario would move this one's home.
        using var scenario = new RealUserScenario("drhmig-cli-trust", 22014);
        string dir = Path.GetDirectoryName(scenario.ConfigPath)!;
        string statePath = Path.Combine(dir, "state");
        string outside = Path.Combine(dir, "outside");
        Directory.CreateDirectory(outside);
        string precious = Path.Combine(outside, "precious");
        File.WriteAllText(precious, "root's, in no home\n");
        File.SetUnixFileMode(precious, (UnixFileMode)0x180);
        string expected = Plant(scenario, Path.Combine(dir, "journal"), outside, plant);
        string stateBefore = File.ReadAllText(statePath);
        SortedDictionary<string, string> homeBefore = scenario.Snapshot();

        CliRun status = scenario.Run("status", scenario.User.Name);
        Assert.True(status.ExitCode == 4, $"{plant}: status exit {status.ExitCode}: {status.Stdout}{status.Stderr}");
        Assert.DoesNotContain("resume", status.Stdout, StringComparison.Ordinal);
        status.AssertOneErrorLine(expected);

        foreach (string[] command in new[] { new[] { "resume", scenario.User.Name }, ["resume", scenario.User.Name, "--rollback"], ["rollback", scenario.User.Name] })
        {
            CliRun run = scenario.Run(command);
            string what = $"{plant}: imaproot {string.Join(' ', command)}";
            Assert.True(run.ExitCode == 4, $"{what}: exit {run.ExitCode}: {run.Stdout}{run.Stderr}");
            run.AssertOneErrorLine(expected);
            Assert.True(File.Exists(precious), $"{what}: {precious} was renamed");
            Assert.Equal(stateBefore, File.ReadAllText(statePath));
            Assert.Equal(homeBefore, scenario.Snapshot());
        }
    }

    // Arranges the plant; returns what the one error line must say.
    private static string Plant(RealUserScenario scenario, string dir, string outside, string plant)
    {
        string path = Journal.PathFor(dir, scenario.User.Name);
        uint uid = (uint)scenario.User.Uid;
        var honest = new MigrationPlan(
            scenario.User.Name, uid, uid, scenario.Home, "", "IMAP", [],
            [new CreateDirectory("IMAP", 0x1C0), Move(scenario.Home, "Archive", "IMAP/Archive")], [], []);
        switch (plant)
        {
            case "as reported":
                // An unprivileged user wrote it into a world-writable journal-dir: uid 0, a home that is no home.
                Directory.CreateDirectory(dir);
                File.SetUnixFileMode(dir, (UnixFileMode)0x1FF);
                WriteJournal(path, honest with { Uid = 0, Gid = 0, Home = outside, Steps = [Move(outside, "precious", "precious.moved")] }, 0x1A4, Nobody);
                return $"{dir}: refused: mode 777";
            case "world-writable directory":
                WriteJournal(path, honest, 0x180, 0);
                File.SetUnixFileMode(dir, (UnixFileMode)0x1FF);
                return $"{dir}: refused: mode 777";
            case "file owned by another user":
                WriteJournal(path, honest, 0x180, Nobody);
                return $"{path}: refused: owned by uid {Nobody}";
            case "file mode 0666":
                WriteJournal(path, honest, 0x1B6, 0);
                return $"{path}: refused: mode 666";
            case "file is a symlink":
                string elsewhere = Path.Combine(outside, "elsewhere.journal");
                WriteJournal(elsewhere, honest, 0x180, 0);
                Directory.CreateDirectory(dir);
                File.SetUnixFileMode(dir, (UnixFileMode)0x1C0);
                Assert.Equal(0, Syscall.symlink(elsewhere, path));
                return $"{path}: refused: a symbolic link";
            case "another home":
                Assert.Equal(0, Syscall.chown(Path.Combine(outside, "precious"), uid, uid));
                WriteJournal(path, honest with { Home = outside, Steps = [Move(outside, "precious", "precious.moved")] }, 0x180, 0);
                return $"home {outside}";
            case "another uid":
                WriteJournal(path, honest with { Uid = 0, Gid = 0, Home = outside, Steps = [Move(outside, "precious", "precious.moved")] }, 0x180, 0);
                return "uid 0";
            case "another user":
                WriteJournal(path, honest with { User = "nobody" }, 0x180, 0);
                return "user nobody";
            default:
                throw new ArgumentException(plant);
        }
    }

    private static MoveEntry Move(string home, string from, string to) =>
        new(from, to, EntryKind.File, ObjectIdentity.Of(Sys.LinkStatusOrNull(Path.Combine(home, from))!.Value));

    private static void WriteJournal(string path, MigrationPlan plan, uint mode, uint owner)
    {
        string dir = Path.GetDirectoryName(path)!;
        if (!Directory.Exists(dir))
        {
            Directory.CreateDirectory(dir);
            File.SetUnixFileMode(dir, (UnixFileMode)0x1C0);
        }
        File.WriteAllText(path, Journal.Serialize(plan));
        File.SetUnixFileMode(path, (UnixFileMode)mode);
        Assert.Equal(0, Syscall.chown(path, owner, owner));
    }
}
