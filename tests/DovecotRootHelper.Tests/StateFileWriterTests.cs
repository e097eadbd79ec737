using DovecotRootHelper.State;

namespace DovecotRootHelper.Tests;

public class StateFileWriterTests
{
    [Fact]
    public void ANewUserIsAppendedAndEveryOtherLineKeptByteForByte()
    {
        using var dir = new TempDirectory();
        const string original = "# managed by imaproot\n  alice   legacy   since 2020\n\n# bob next\nbob migrated\n";
        string path = dir.Write("state", original);
        using (StateFileWriter writer = StateFileWriter.Lock(path))
            Assert.Equal(6, writer.SetState("carol", UserState.Migrated, "2026-11-28 root new").Line);
        Assert.Equal(original + "carol\tmigrated\t2026-11-28 root new\n", File.ReadAllText(path));
    }

    [Fact]
    public void AnExistingUsersLineIsReplacedInPlace()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("state", "alice legacy\nbob legacy\ncarol legacy\n");
        using (StateFileWriter writer = StateFileWriter.Lock(path))
            writer.SetState("bob", UserState.Migrating, "");
        Assert.Equal("alice legacy\nbob\tmigrating\ncarol legacy\n", File.ReadAllText(path));
    }

    [Fact]
    public void SeveralChangesUnderOneLockKeepTheFileItsIndexAndTheEntriesInStep()
    {
        // The writer splices each change into what it parsed before instead of parsing again, so
        // lines after a changed one move: every later change and the index must still find them.
        using var dir = new TempDirectory();
        string path = dir.Write("state", "alice legacy\n  bob   legacy   old note\ncarol migrated\ndave legacy");
        using (StateFileWriter writer = StateFileWriter.Lock(path))
        {
            writer.SetState("bob", UserState.Migrating, "a much longer note than before");
            writer.SetState("erin", UserState.Migrated, "");
            writer.SetState("carol", UserState.Legacy, "");
            writer.SetState("alice", UserState.Migrated, "x");
            Assert.Equal(
                [("alice", UserState.Migrated, 1, "x"), ("bob", UserState.Migrating, 2, "a much longer note than before"), ("carol", UserState.Legacy, 3, ""), ("dave", UserState.Legacy, 4, ""), ("erin", UserState.Migrated, 5, "")],
                writer.Read().Entries.Select(e => (e.User, e.State, e.Line, e.Note)));
        }
        Assert.Equal("alice\tmigrated\tx\nbob\tmigrating\ta much longer note than before\ncarol\tlegacy\ndave legacy\nerin\tmigrated\n", File.ReadAllText(path));
        Assert.True(StateFileIndex.Inspect(path).IsCurrent);
        foreach ((string user, UserState state) in new[] { ("alice", UserState.Migrated), ("bob", UserState.Migrating), ("carol", UserState.Legacy), ("dave", UserState.Legacy), ("erin", UserState.Migrated) })
            Assert.Equal(state, StateFileReader.FindUser(path, user)?.State);
    }

    [Fact]
    public void AMissingFileIsCreatedReadableByAllWritableByItsOwner()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "state");
        using (StateFileWriter writer = StateFileWriter.Lock(path))
            writer.SetState("alice", UserState.Migrated, "");
        Assert.Equal("alice\tmigrated\n", File.ReadAllText(path));
        Assert.Equal(TempDirectory.UserReadWriteOthersRead, File.GetUnixFileMode(path));
        Assert.Equal(UserState.Migrated, StateFileReader.FindUser(path, "alice")?.State);
    }

    [Fact]
    public void TheFileIsReplacedByRenameSoReadersNeverSeeHalfAFile()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("state", "alice legacy\n");
        using var before = new FileStream(path, FileMode.Open, FileAccess.Read);
        using (StateFileWriter writer = StateFileWriter.Lock(path))
            writer.SetState("alice", UserState.Migrated, "");
        // The reader that opened the old file still sees the whole old file.
        Assert.Equal("alice legacy\n", new StreamReader(before).ReadToEnd());
        Assert.Equal("alice\tmigrated\n", File.ReadAllText(path));
        Assert.Empty(Directory.GetFiles(dir.Path, "state.new.*"));
    }

    [Fact]
    public void AFileWithProblemsIsNotRewritten()
    {
        using var dir = new TempDirectory();
        const string broken = "alice legacy\nbob sideways\n";
        string path = dir.Write("state", broken);
        using (StateFileWriter writer = StateFileWriter.Lock(path))
        {
            StateFileException e = Assert.Throws<StateFileException>(() => writer.SetState("alice", UserState.Migrated, ""));
            Assert.Equal(2, e.Line);
        }
        Assert.Equal(broken, File.ReadAllText(path));
    }

    [Theory]
    [InlineData("two words")]
    [InlineData("#comment")]
    [InlineData("")]
    public void AUserNameTheFileCannotHoldIsRejected(string user)
    {
        using var dir = new TempDirectory();
        string path = dir.Write("state", "");
        using StateFileWriter writer = StateFileWriter.Lock(path);
        Assert.Throws<ArgumentException>(() => writer.SetState(user, UserState.Migrated, ""));
    }

    [Fact]
    public async Task ASecondWriterWaitsForTheLock()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("state", "");
        using var gate = new ManualResetEventSlim();
        Task second;
        using (StateFileWriter first = StateFileWriter.Lock(path))
        {
            second = Task.Run(() =>
            {
                gate.Set();
                using StateFileWriter writer = StateFileWriter.Lock(path);
                writer.SetState("bob", UserState.Legacy, "");
            });
            gate.Wait();
            // The second writer is blocked in flock once the kernel lists a second, blocked lock on
            // the lock file ("->" in /proc/locks); no sleep that a slow machine could outrun.
            Assert.True(SpinWait.SpinUntil(() => BlockedLocksOn(path + ".lock") > 0, TimeSpan.FromSeconds(10)), "the second writer never waited for the lock");
            Assert.False(second.IsCompleted);
            first.SetState("alice", UserState.Migrated, "");
        }
        await second.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("alice\tmigrated\nbob\tlegacy\n", File.ReadAllText(path));
    }

    /// <summary>Locks waiting on the file: lines of /proc/locks marked "->" with the file's inode.</summary>
    private static int BlockedLocksOn(string path)
    {
        if (Mono.Unix.Native.Syscall.stat(path, out Mono.Unix.Native.Stat st) != 0)
            return 0;
        string inode = $":{st.st_ino} ";
        return File.ReadAllLines("/proc/locks").Count(line => line.Contains("->", StringComparison.Ordinal) && line.Contains(inode, StringComparison.Ordinal));
    }
}
