using System.Text.Json;
using Mono.Unix.Native;

namespace DovecotRootHelper.Cli.Tests;

/// <summary>
/// A real Unix account (drhmig-cli, uid 22011, unless a test class needs its own: imaproot looks
/// users up with getpwnam; removed on Dispose) whose home is
/// a temporary directory holding mbox mailboxes, their indexes, subscriptions and clutter; a config
/// whose doveadm commands are /bin/true. For running the published imaproot's migrations.
/// </summary>
public sealed class RealUserScenario : IDisposable
{
    private readonly CliScenario _scenario;

    public RealUserScenario(string name = "drhmig-cli", int uid = 22011)
    {
        _scenario = new CliScenario(name + " legacy\n");
        File.AppendAllText(ConfigPath, "\nkick = /bin/true %u\nwho = /bin/true %u\n");
        Home = Path.Combine(_scenario.Dir, "home");
        User = UnixTestAccount.Ensure(name, uid, Home);
        Directory.CreateDirectory(Home);
        Write("Archive", Mbox("archive"));
        Write(".imap/Archive/dovecot.index.log", "index");
        Write("mail/Sent", Mbox("sent"));
        Write("mail/.imap/Sent/dovecot.index.log", "index");
        Write("mail/notes.txt", "not mail");
        Write("Entw&APw-rfe", Mbox("drafts"));
        Write("whole/a", Mbox("a"));
        Write("whole/b", Mbox("b"));
        Write(".bashrc", "export EDITOR=vi\n");
        Write(".subscriptions", "V\t2\n\nArchive\nmail\tSent\nEntw&APw-rfe\nwhole\ta\nwhole\tb\n");
        Command.Run("chown", ["-R", $"{User.Uid}:{User.Uid}", Home]);
        File.SetUnixFileMode(Home, (UnixFileMode)0x1C0);
    }

    public TestUser User { get; }

    /// <summary>Writes a file in the home (and its missing parents), all owned by the user.</summary>
    public void Add(string relative, string contents)
    {
        Write(relative, contents);
        Command.Run("chown", ["-R", $"{User.Uid}:{User.Uid}", Home]);
    }

    public string Home { get; }

    public string ConfigPath => _scenario.ConfigPath;

    /// <summary>The user's word in the state file.</summary>
    public string State => _scenario.State.Split('\n')[0].Split('\t', ' ')[1];

    public CliRun Run(params string[] arguments) => _scenario.Run(arguments);

    /// <summary>The published crash-test imaproot with DOVECOT_ROOT_HELPER_CRASH_AT=<paramref name="point"/>.</summary>
    public CliRun RunCrashingAt(string point, params string[] arguments) =>
        PublishedImaproot.Start(PublishedImaproot.CrashBinary, ["--config", ConfigPath, .. arguments], new Dictionary<string, string>
        {
            ["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin",
            [CrashBuild.Variable] = point,
        }, "");

    /// <summary>The plan's steps from <c>imaproot plan --json</c>: ("mkdir", path, null) or ("move", from, to).</summary>
    public List<(string Action, string PathOrFrom, string? To)> PlannedSteps()
    {
        CliRun run = Run("plan", User.Name, "--json");
        Assert.Equal(0, run.ExitCode);
        using JsonDocument plan = JsonDocument.Parse(run.Stdout);
        return [.. plan.RootElement.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("action").GetString() == "mkdir"
            ? ("mkdir", s.GetProperty("path").GetString()!, (string?)null)
            : ("move", s.GetProperty("from").GetString()!, s.GetProperty("to").GetString()))];
    }

    /// <summary>
    /// Every entry under the home by relative path: files with inode, size, mtime, mode, owner and
    /// contents; directories with inode, mode and owner (their mtimes change as entries move).
    /// </summary>
    public SortedDictionary<string, string> Snapshot()
    {
        var tree = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (string path in Directory.EnumerateFileSystemEntries(Home, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            Assert.Equal(0, Syscall.lstat(path, out Stat st));
            bool dir = (st.st_mode & FilePermissions.S_IFMT) == FilePermissions.S_IFDIR;
            string mode = Convert.ToString((int)st.st_mode & 0xFFF, 8);
            tree[Path.GetRelativePath(Home, path)] = dir
                ? $"d ino={st.st_ino} mode={mode} uid={st.st_uid}"
                : $"f ino={st.st_ino} size={st.st_size} mtime={st.st_mtime}.{st.st_mtime_nsec} mode={mode} uid={st.st_uid} {File.ReadAllText(path)}";
        }
        return tree;
    }

    /// <summary>A snapshot with the plan applied by hand; created directories have inodes nobody can predict, so they are compared without.</summary>
    public static SortedDictionary<string, string> Apply(SortedDictionary<string, string> before, List<(string Action, string PathOrFrom, string? To)> steps)
    {
        var tree = new SortedDictionary<string, string>(before, StringComparer.Ordinal);
        foreach ((string action, string from, string? to) in steps)
        {
            if (action == "mkdir")
            {
                tree[from] = "created";
                continue;
            }
            foreach (string key in tree.Keys.Where(k => k == from || k.StartsWith(from + "/", StringComparison.Ordinal)).ToList())
            {
                tree[to + key[from.Length..]] = tree[key];
                tree.Remove(key);
            }
        }
        return tree;
    }

    /// <summary>The snapshot with the directories the plan creates marked "created".</summary>
    public static SortedDictionary<string, string> Created(SortedDictionary<string, string> after, List<(string Action, string PathOrFrom, string? To)> steps)
    {
        foreach ((string action, string path, _) in steps.Where(s => s.Action == "mkdir"))
        {
            if (after.ContainsKey(path))
                after[path] = "created";
        }
        return after;
    }

    public void Dispose()
    {
        UnixTestAccount.Remove(User.Name);
        _scenario.Dispose();
    }

    private static string Mbox(string subject) => $"From a@b Sat Jan  1 00:00:00 2000\nSubject: {subject}\n\n{subject}\n";

    private void Write(string relative, string contents)
    {
        string path = Path.Combine(Home, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, contents);
    }
}
