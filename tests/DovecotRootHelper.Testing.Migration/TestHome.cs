using System.Text;
using DovecotRootHelper.Configuration;
using DovecotRootHelper.Migration;
using DovecotRootHelper.Posix;
using Mono.Unix.Native;

namespace DovecotRootHelper.Testing;

/// <summary>
/// A temporary home for the user "alice" (uid 23001, no real account: the lookup is injected),
/// a state file, a journal directory and a config whose doveadm commands are /bin/true.
/// </summary>
public sealed class TestHome : IDisposable
{
    public const string User = "alice";
    public const uint Uid = 23001;
    public const uint Gid = 23001;

    public TestHome(string who = "/bin/true", int kickTimeout = 30)
    {
        Root = System.IO.Directory.CreateTempSubdirectory("drh-mig-").FullName;
        Home = Path.Combine(Root, "home", User);
        Outside = Path.Combine(Root, "outside");
        System.IO.Directory.CreateDirectory(Home);
        System.IO.Directory.CreateDirectory(Outside);
        System.IO.File.WriteAllText(Path.Combine(Outside, "precious"), "not alice's\n");
        System.IO.File.SetUnixFileMode(Home, (UnixFileMode)0x1C0);
        Chown(Home);
        string config = ConfigPath = Path.Combine(Root, "helper.conf");
        // No Dovecot runs beside these homes: doveconf = (empty) says so, and nothing asks one.
        System.IO.File.WriteAllText(config, $"""
            [dovecot]
            doveconf =
            [locations]
            legacy = mbox:~:INBOX=/var/mail/%u
            migrated = mbox:~/IMAP:INBOX=/var/mail/%u
            [state]
            file = {Root}/state
            [migration]
            journal-dir = {Root}/journal
            kick = /bin/true %u
            who = {who}
            flush = /bin/true %u
            kick-timeout = {kickTimeout}
            """);
        System.IO.File.SetUnixFileMode(config, (UnixFileMode)0x1A4);
        Config = HelperConfig.Load(config);
        Migration = new UserMigration(Config) { FindAccount = n => n == User ? new UnixAccount(User, Uid, Gid, Home) : null };
    }

    public string Root { get; }

    public string ConfigPath { get; }

    public string Home { get; }

    public string Outside { get; }

    public HelperConfig Config { get; }

    public UserMigration Migration { get; }

    /// <summary>The same user and files, with another session check (e.g. sessions that close after all).</summary>
    public UserMigration WithWho(string who) =>
        new(Config with { Migration = Config.Migration with { WhoCommand = who } }) { FindAccount = Migration.FindAccount };

    public string PathOf(string relative) => Path.Combine(Home, relative);

    /// <summary>An mbox file with one message, owned by alice, parents created as alice's 0700 directories.</summary>
    public string Mbox(string relative, string body = "hello") =>
        File(relative, $"From alice@example.org Sat Jan  1 00:00:00 2000\nSubject: {body}\n\n{body}\n");

    public string File(string relative, string contents, uint mode = 0x180)
    {
        Parents(relative);
        string path = PathOf(relative);
        System.IO.File.WriteAllBytes(path, Encoding.UTF8.GetBytes(contents));
        System.IO.File.SetUnixFileMode(path, (UnixFileMode)mode);
        Chown(path);
        return path;
    }

    /// <summary>An index directory like Dovecot's: ROOT/a/.imap/b/dovecot.index for mailbox a/b.</summary>
    public void Index(string mailbox)
    {
        int slash = mailbox.LastIndexOf('/');
        string dir = slash < 0 ? $".imap/{mailbox}" : $"{mailbox[..slash]}/.imap/{mailbox[(slash + 1)..]}";
        File($"{dir}/dovecot.index", "index of " + mailbox);
    }

    public void Subscribe(params string[] names) =>
        File(".subscriptions", "V\t2\n\n" + string.Concat(names.Select(n => n.Replace('/', '\t') + "\n")));

    public void Directory(string relative, uint mode = 0x1C0)
    {
        Parents(relative + "/x");
        System.IO.File.SetUnixFileMode(PathOf(relative), (UnixFileMode)mode);
    }

    public void Symlink(string relative, string target)
    {
        Parents(relative);
        if (Syscall.symlink(target, PathOf(relative)) != 0)
            throw new IOException("symlink " + relative);
        Chown(PathOf(relative));
    }

    public static void Chown(string path, uint uid = Uid)
    {
        if (Syscall.lchown(path, uid, Gid) != 0)
            throw new IOException($"lchown {path}: {Stdlib.GetLastError()}");
    }

    public void SetState(string line) => System.IO.File.WriteAllText(Path.Combine(Root, "state"), line + "\n");

    public string State() => System.IO.File.Exists(Path.Combine(Root, "state")) ? System.IO.File.ReadAllText(Path.Combine(Root, "state")).Split('\t', '\n')[1] : "(none)";

    public TreeSnapshot Snapshot() => TreeSnapshot.Take(Root);

    public void Dispose() => System.IO.Directory.Delete(Root, recursive: true);

    private void Parents(string relative)
    {
        string current = Home;
        string[] parts = relative.Split('/');
        foreach (string part in parts[..^1])
        {
            current = Path.Combine(current, part);
            if (!System.IO.Directory.Exists(current))
            {
                System.IO.Directory.CreateDirectory(current);
                System.IO.File.SetUnixFileMode(current, (UnixFileMode)0x1C0);
                Chown(current);
            }
        }
    }
}
