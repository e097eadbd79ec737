using DovecotRootHelper.Posix;
using Mono.Unix.Native;

namespace DovecotRootHelper.Migration.Tests;

/// <summary>
/// A journal root did not write, or one that does not describe the account as the account database
/// has it now, is never acted on: every operation that reads it (resume, resume --rollback,
/// rollback, migrate, and the pending check behind status and set) refuses it with a
/// <see cref="JournalException"/> naming the directory or file and why, nothing in the home or
/// outside it is renamed, and the state file is left as it was.
/// </summary>
public class UntrustedJournalIsRefused
{
    private const uint Nobody = 65534;

    public static TheoryData<string> Plants() => new(
        "as reported: world-writable directory, a user's file, another home and uid 0",
        "world-writable directory",
        "directory owned by another user",
        "directory is a symlink",
        "file owned by another user",
        "file writable by others",
        "file is a symlink",
        "another home",
        "another uid",
        "another gid",
        "another user");

    [Theory]
    [MemberData(nameof(Plants))]
    public void NothingIsRenamedAndTheStateStays(string plant)
    {
        using var home = new TestHome();
        home.Mbox("Archive");
        home.SetState("alice\tlegacy");
        string expected = Plant(home, plant);
        string statePath = home.Config.StateFile;
        string stateBefore = File.ReadAllText(statePath);
        TreeSnapshot homeBefore = TreeSnapshot.Take(home.Home);
        TreeSnapshot outsideBefore = TreeSnapshot.Take(home.Outside);

        Action[] operations =
        [
            () => home.Migration.Resume(TestHome.User, rollback: false),
            () => home.Migration.Resume(TestHome.User, rollback: true),
            () => home.Migration.Rollback(TestHome.User),
            () => home.Migration.Migrate(TestHome.User, MailboxSelection.None),
            () => home.Migration.Pending(TestHome.User),
        ];
        foreach (Action operation in operations)
        {
            JournalException e = Assert.Throws<JournalException>(operation);
            Assert.Contains(expected, e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', e.Message);
            Assert.Equal(stateBefore, File.ReadAllText(statePath));
            Assert.Equal(homeBefore.Entries, TreeSnapshot.Take(home.Home).Entries);
            Assert.Equal(outsideBefore.Entries, TreeSnapshot.Take(home.Outside).Entries);
        }
    }

    [Fact]
    public void AnHonestJournalInATrustedDirectoryIsStillResumed()
    {
        using var home = new TestHome();
        home.Mbox("Archive");
        home.SetState("alice\tmigrating");
        WriteJournal(home, HonestPlan(home));

        MigrationResult result = home.Migration.Resume(TestHome.User, rollback: false);

        Assert.Equal(State.UserState.Migrated, result.FinalState);
        Assert.True(File.Exists(home.PathOf("IMAP/Archive")));
        Assert.Equal("migrated", home.State());
    }

    [Fact]
    public void ANewJournalDirectoryIsRootsAndPrivate()
    {
        using var home = new TestHome();
        home.Mbox("Archive");

        home.Migration.Migrate(TestHome.User, MailboxSelection.None);

        Assert.Equal(0, Syscall.lstat(home.Config.Migration.JournalDirectory, out Stat st));
        Assert.Equal(0u, st.st_uid);
        Assert.Equal(0x1C0, (int)st.st_mode & 0xFFF);
        Assert.Equal(0, Syscall.lstat(Journal.PathFor(home.Config.Migration.JournalDirectory, TestHome.User), out st));
        Assert.Equal(0x180, (int)st.st_mode & 0xFFF);
    }

    // Arranges the plant; returns what the refusal must say.
    private static string Plant(TestHome home, string plant)
    {
        string dir = home.Config.Migration.JournalDirectory;
        string path = Journal.PathFor(dir, TestHome.User);
        MigrationPlan honest = HonestPlan(home);
        switch (plant)
        {
            case "as reported: world-writable directory, a user's file, another home and uid 0":
                Directory.CreateDirectory(dir);
                File.SetUnixFileMode(dir, (UnixFileMode)0x1FF);
                WriteJournal(home, OutsidePlan(home, uid: 0), mode: 0x1A4, owner: Nobody);
                return dir;
            case "world-writable directory":
                WriteJournal(home, honest);
                File.SetUnixFileMode(dir, (UnixFileMode)0x1FF);
                return $"{dir}: refused: mode 777";
            case "directory owned by another user":
                WriteJournal(home, honest);
                Chown(dir, Nobody);
                return $"{dir}: refused: owned by uid {Nobody}";
            case "directory is a symlink":
                string real = Path.Combine(home.Root, "real-journal");
                Directory.CreateDirectory(real);
                File.SetUnixFileMode(real, (UnixFileMode)0x1C0);
                Assert.Equal(0, Syscall.symlink(real, dir));
                WriteJournal(home, honest);
                return $"{dir}: refused: a symbolic link";
            case "file owned by another user":
                WriteJournal(home, honest, owner: Nobody);
                return $"{path}: refused: owned by uid {Nobody}";
            case "file writable by others":
                WriteJournal(home, honest, mode: 0x1B6);
                return $"{path}: refused: mode 666";
            case "file is a symlink":
                string elsewhere = Path.Combine(home.Root, "elsewhere.journal");
                File.WriteAllText(elsewhere, Journal.Serialize(honest));
                File.SetUnixFileMode(elsewhere, (UnixFileMode)0x180);
                Directory.CreateDirectory(dir);
                File.SetUnixFileMode(dir, (UnixFileMode)0x1C0);
                Assert.Equal(0, Syscall.symlink(elsewhere, path));
                return $"{path}: refused: a symbolic link";
            case "another home":
                WriteJournal(home, OutsidePlan(home, uid: TestHome.Uid));
                return $"home {home.Outside}";
            case "another uid":
                string rootFile = home.File("root-owned", "root's\n");
                TestHome.Chown(rootFile, 0);
                WriteJournal(home, honest with { Uid = 0, Steps = [Move(rootFile, "IMAP-root-owned")] });
                return "uid 0";
            case "another gid":
                WriteJournal(home, honest with { Gid = 0 });
                return "gid 0";
            case "another user":
                WriteJournal(home, honest with { User = "bob" });
                return "user bob";
            default:
                throw new ArgumentException(plant);
        }
    }

    // What migrate would have written for alice: create IMAP, move Archive into it.
    private static MigrationPlan HonestPlan(TestHome home) => new(
        TestHome.User, TestHome.Uid, TestHome.Gid, home.Home, "", "IMAP", [],
        [new CreateDirectory("IMAP", 0x1C0), Move(home.PathOf("Archive"), "IMAP/Archive")], [], []);

    // A plan whose "home" is a directory outside every home, renaming a file there.
    private static MigrationPlan OutsidePlan(TestHome home, uint uid)
    {
        string precious = Path.Combine(home.Outside, "precious");
        TestHome.Chown(precious, uid);
        return new(TestHome.User, uid, uid, home.Outside, "", "IMAP", [], [Move(precious, "precious.moved")], [], []);
    }

    private static MoveEntry Move(string from, string to) =>
        new(Path.GetFileName(from), to, EntryKind.File, ObjectIdentity.Of(Sys.LinkStatusOrNull(from)!.Value));

    // Written as root's journal is, then given the mode and owner the plant needs.
    private static void WriteJournal(TestHome home, MigrationPlan plan, uint mode = 0x180, uint owner = 0)
    {
        string dir = home.Config.Migration.JournalDirectory;
        if (!Directory.Exists(dir))
        {
            Directory.CreateDirectory(dir);
            File.SetUnixFileMode(dir, (UnixFileMode)0x1C0);
        }
        string path = Journal.PathFor(dir, TestHome.User);
        File.WriteAllText(path, Journal.Serialize(plan));
        File.SetUnixFileMode(path, (UnixFileMode)mode);
        Chown(path, owner);
    }

    private static void Chown(string path, uint uid)
    {
        if (Syscall.lchown(path, uid, uid) != 0)
            throw new IOException($"lchown {path}: {Stdlib.GetLastError()}");
    }
}
