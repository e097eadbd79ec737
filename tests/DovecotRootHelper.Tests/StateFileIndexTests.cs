using System.Buffers.Binary;
using System.Text;
using DovecotRootHelper.Posix;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Tests;

/// <summary>
/// The state file's index: logins read one line through it when it describes the state file they
/// opened, and otherwise scan the whole file with the same answers. The layout these tests patch:
/// a 72-byte header (slot count at 64), then 12-byte slots of (name hash, line offset, line number).
/// </summary>
public class StateFileIndexTests
{
    private const int HeaderSize = 72;
    private const int SlotSize = 12;

    [Fact]
    public void TheWriterIndexesTheFileItPublishesAndLoginsAnswerFromIt()
    {
        using var dir = new TempDirectory();
        string path = Written(dir, "# users\nalice legacy\n\nbob migrated  since 2020\n", "carol", UserState.Migrating);
        Assert.True(StateFileIndex.Inspect(path).IsCurrent);
        Assert.Equal(UserState.Legacy, Indexed(path, "alice")?.State);
        Assert.Equal(UserState.Migrated, Indexed(path, "bob")?.State);
        Assert.Equal("since 2020", Indexed(path, "bob")?.Note);
        Assert.Equal(UserState.Migrating, Indexed(path, "carol")?.State);
        Assert.Null(Indexed(path, "dave"));
        Assert.Equal(UserState.Migrated, StateFileReader.FindUser(path, "bob")?.State);
    }

    [Fact]
    public void TheIndexGivesTheSameAnswersAsTheScanForEveryUser()
    {
        using var dir = new TempDirectory();
        var text = new StringBuilder("# many users\n");
        for (int i = 0; i < 3000; i++)
            text.Append(i % 100 == 0 ? "# batch\n" : "").Append($"user{i:D6}\t{(i % 3 == 0 ? "migrated" : "legacy")}{(i % 7 == 0 ? " a note" : "")}\n");
        string path = Written(dir, text.ToString(), "user999999", UserState.Migrated);
        byte[] content = File.ReadAllBytes(path);
        foreach (string user in new[] { "user000000", "user001234", "user002999", "user999999", "user003000", "user", "nobody" })
        {
            StateEntry? scanned = StateFileSyntax.FindUser(content, Encoding.UTF8.GetBytes(user), path);
            Assert.Equal(scanned, Indexed(path, user, countLines: true));
        }
    }

    [Fact]
    public void AMissingIndexMeansTheScan()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("state", "alice migrated\n");
        Assert.False(TryIndexed(path, "alice", out _));
        Assert.False(StateFileIndex.Inspect(path).Exists);
        Assert.Equal(UserState.Migrated, StateFileReader.FindUser(path, "alice")?.State);
    }

    [Fact]
    public void AHandEditedStateFileMakesTheIndexStale()
    {
        using var dir = new TempDirectory();
        string path = Written(dir, "alice legacy\n", "bob", UserState.Legacy);
        File.WriteAllText(path, "alice migrated\nbob legacy\n");
        Assert.False(TryIndexed(path, "alice", out _));
        Assert.StartsWith("stale", StateFileIndex.Inspect(path).Summary, StringComparison.Ordinal);
        Assert.Equal(UserState.Migrated, StateFileReader.FindUser(path, "alice")?.State);
    }

    [Fact]
    public void AnEditInPlaceThatKeepsTheSizeAndTheMtimeStillMakesTheIndexStale()
    {
        using var dir = new TempDirectory();
        string path = Written(dir, "alice legacy\n", "bobby", UserState.Migrated);
        DateTime mtime = File.GetLastWriteTimeUtc(path);
        Assert.Equal("alice legacy\nbobby\tmigrated\n", File.ReadAllText(path));
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write))
            stream.Write("bobby legacy\nalice\tmigrated\n"u8);
        File.SetLastWriteTimeUtc(path, mtime);
        Assert.False(TryIndexed(path, "alice", out _));
        Assert.Equal(UserState.Migrated, StateFileReader.FindUser(path, "alice")?.State);
    }

    [Theory]
    [InlineData("device")]
    [InlineData("inode")]
    [InlineData("size")]
    [InlineData("mtime")]
    [InlineData("mtime ns")]
    [InlineData("ctime")]
    [InlineData("ctime ns")]
    public void AnIndexDescribesOneVersionOfOneFile(string differs)
    {
        using var dir = new TempDirectory();
        string path = Written(dir, "alice legacy\n", "bob", UserState.Migrated);
        using FileDescriptor fd = Sys.OpenReadOnly(path);
        FileStatus status = Sys.Status(fd, path);
        Assert.True(StateFileIndex.TryFind(path, fd, status, "bob", false, null, out _));
        FileStatus other = differs switch
        {
            "device" => status with { Device = status.Device + 1 },
            "inode" => status with { Inode = status.Inode + 1 },
            "size" => status with { Size = status.Size + 1 },
            "mtime" => status with { MtimeSeconds = status.MtimeSeconds - 1 },
            "mtime ns" => status with { MtimeNanoseconds = (status.MtimeNanoseconds + 1) % 1_000_000_000 },
            "ctime" => status with { CtimeSeconds = status.CtimeSeconds - 1 },
            _ => status with { CtimeNanoseconds = (status.CtimeNanoseconds + 1) % 1_000_000_000 },
        };
        Assert.False(StateFileIndex.TryFind(path, fd, other, "bob", false, null, out _));
    }

    [Fact]
    public void AnIndexPointingAtAnotherUsersLineIsIgnored()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("state", "alice legacy\nbobby migrated\n");
        // Alice's line is at offset 13 in this text, where the state file has bobby's.
        WriteIndex(path, StateFileIndex.Build("bobby legacy\nalice migrated\n"u8.ToArray(), StatusOf(path)));
        Assert.False(TryIndexed(path, "alice", out _));
        Assert.Equal(UserState.Legacy, StateFileReader.FindUser(path, "alice")?.State);
    }

    [Fact]
    public void AnIndexPointingIntoTheMiddleOfALineIsIgnored()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("state", "alice legacy\nbob migrated\n");
        WriteIndex(path, StateFileIndex.Build("# a comment\nalice migrated\n"u8.ToArray(), StatusOf(path)));
        Assert.False(TryIndexed(path, "alice", out _));
        Assert.Equal(UserState.Legacy, StateFileReader.FindUser(path, "alice")?.State);
    }

    [Fact]
    public void AnIndexWrittenForAnotherFileIsIgnored()
    {
        using var dir = new TempDirectory();
        string other = Written(dir, "", "alice", UserState.Migrated, name: "other");
        string path = dir.Write("state", "alice\tlegacy\n");
        File.Copy(StateFileIndex.PathFor(other), StateFileIndex.PathFor(path));
        Assert.False(TryIndexed(path, "alice", out _));
        Assert.Equal(UserState.Legacy, StateFileReader.FindUser(path, "alice")?.State);
    }

    [Theory]
    [InlineData(0x1B6)] // 0666
    [InlineData(0x1B4)] // 0664
    public void AnIndexOthersCanWriteIsIgnored(int mode)
    {
        using var dir = new TempDirectory();
        string path = Written(dir, "alice legacy\n", "bob", UserState.Migrated);
        File.SetUnixFileMode(StateFileIndex.PathFor(path), (UnixFileMode)mode);
        Assert.False(TryIndexed(path, "bob", out _));
        Assert.StartsWith("refused", StateFileIndex.Inspect(path).Summary, StringComparison.Ordinal);
        Assert.Equal(UserState.Migrated, StateFileReader.FindUser(path, "bob")?.State);
    }

    [Fact]
    public void AnIndexOwnedByAnotherUserThanTheStateFileIsIgnored()
    {
        using var dir = new TempDirectory();
        string path = Written(dir, "alice legacy\n", "bob", UserState.Migrated);
        using FileDescriptor fd = Sys.OpenReadOnly(path);
        FileStatus status = Sys.Status(fd, path);
        Assert.True(StateFileIndex.TryFind(path, fd, status, "bob", false, null, out _));
        // As if the state file were the hook user's and the index root's, or the other way round.
        Assert.False(StateFileIndex.TryFind(path, fd, status with { Uid = status.Uid + 1 }, "bob", false, null, out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(40)]
    [InlineData(HeaderSize)]
    [InlineData(HeaderSize + 50)]
    public void ATruncatedIndexIsIgnored(int length)
    {
        using var dir = new TempDirectory();
        string path = Written(dir, "alice legacy\n", "bob", UserState.Migrated);
        PatchIndex(path, index => index[..length]);
        Assert.False(TryIndexed(path, "bob", out _));
        Assert.Equal(UserState.Migrated, StateFileReader.FindUser(path, "bob")?.State);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(3u)]
    [InlineData(0x80000000u)]
    [InlineData(0xFFFFFFFFu)]
    public void AnIndexWithABadSlotCountIsIgnored(uint slotCount)
    {
        using var dir = new TempDirectory();
        string path = Written(dir, "alice legacy\n", "bob", UserState.Migrated);
        PatchIndex(path, index =>
        {
            BinaryPrimitives.WriteUInt32LittleEndian(index.AsSpan(64), slotCount);
            return index;
        });
        Assert.False(TryIndexed(path, "bob", out _));
        Assert.Equal(UserState.Migrated, StateFileReader.FindUser(path, "bob")?.State);
    }

    [Theory]
    [InlineData(0L)] // one past the last byte
    [InlineData(0xFFFFFF00L)]
    public void AnIndexWithOffsetsPastTheEndIsIgnored(long pastTheEnd)
    {
        using var dir = new TempDirectory();
        string path = Written(dir, "alice legacy\n", "bob", UserState.Migrated);
        uint offset = (uint)Math.Min(new FileInfo(path).Length + pastTheEnd, uint.MaxValue);
        PatchSlots(path, slot => BinaryPrimitives.WriteUInt32LittleEndian(slot[4..], offset));
        Assert.False(TryIndexed(path, "bob", out _));
        Assert.Equal(UserState.Migrated, StateFileReader.FindUser(path, "bob")?.State);
    }

    [Fact]
    public void AFullTableWithNoEmptySlotEndsTheProbe()
    {
        using var dir = new TempDirectory();
        string path = Written(dir, "alice legacy\n", "bob", UserState.Migrated);
        PatchIndex(path, index =>
        {
            index.AsSpan(HeaderSize).Fill(0xFF);
            return index;
        });
        Assert.False(TryIndexed(path, "carol", out _));
        Assert.Null(StateFileReader.FindUser(path, "carol"));
    }

    [Fact]
    public void AZeroFilledStateFileIsRefusedEvenWithAnIndex()
    {
        using var dir = new TempDirectory();
        string path = Written(dir, "alice legacy\n", "bob", UserState.Migrated);
        File.WriteAllBytes(path, new byte[new FileInfo(path).Length]);
        StateFileException e = Assert.Throws<StateFileException>(() => StateFileReader.FindUser(path, "bob"));
        Assert.Contains("control byte 0x00", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LineNumbersComeFromTheIndexOnlyWhenAsked()
    {
        using var dir = new TempDirectory();
        string path = Written(dir, "# header\nalice legacy\n", "bob", UserState.Migrated);
        Assert.Equal(3, Indexed(path, "bob", countLines: true)?.Line);
        Assert.Equal(0, Indexed(path, "bob", countLines: false)?.Line);
    }

    [Fact]
    public void TheWriterRefusesToPublishAFileWithProblems()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("state", "alice legacy\n");
        using StateFileWriter writer = StateFileWriter.Lock(path);
        StateFileException e = Assert.Throws<StateFileException>(() => writer.Publish("alice legacy\nalice migrated\n"u8));
        Assert.Contains("listed again", e.Message, StringComparison.Ordinal);
        Assert.Equal("alice legacy\n", File.ReadAllText(path));
        Assert.False(File.Exists(StateFileIndex.PathFor(path)));
    }

    [Fact]
    public void TheIndexIsReplacedWithEveryChange()
    {
        using var dir = new TempDirectory();
        string path = Written(dir, "alice legacy\n", "bob", UserState.Migrated);
        using (StateFileWriter writer = StateFileWriter.Lock(path))
            writer.SetState("alice", UserState.Migrated, "");
        Assert.True(StateFileIndex.Inspect(path).IsCurrent);
        Assert.Equal(UserState.Migrated, Indexed(path, "alice")?.State);
        Assert.Empty(Directory.GetFiles(dir.Path, "*.new.*"));
    }

    // A state file with these contents that the writer has then changed (so it is indexed).
    private static string Written(TempDirectory dir, string contents, string user, UserState state, string name = "state")
    {
        string path = dir.Write(name, contents);
        using StateFileWriter writer = StateFileWriter.Lock(path);
        writer.SetState(user, state, "");
        return path;
    }

    private static StateEntry? Indexed(string path, string user, bool countLines = false)
    {
        Assert.True(TryIndexed(path, user, out StateEntry? entry, countLines), $"the index did not answer for {user}");
        return entry;
    }

    private static bool TryIndexed(string path, string user, out StateEntry? entry, bool countLines = false)
    {
        using FileDescriptor fd = Sys.OpenReadOnly(path);
        return StateFileIndex.TryFind(path, fd, Sys.Status(fd, path), user, countLines, null, out entry);
    }

    private static FileStatus StatusOf(string path)
    {
        using FileDescriptor fd = Sys.OpenReadOnly(path);
        return Sys.Status(fd, path);
    }

    private static void WriteIndex(string path, byte[] index)
    {
        string indexPath = StateFileIndex.PathFor(path);
        File.WriteAllBytes(indexPath, index);
        File.SetUnixFileMode(indexPath, TempDirectory.UserReadWriteOthersRead);
    }

    private static void PatchIndex(string path, Func<byte[], byte[]> patch) =>
        WriteIndex(path, patch(File.ReadAllBytes(StateFileIndex.PathFor(path))));

    // Applies the patch to every slot in use.
    private static void PatchSlots(string path, SlotPatch patch) => PatchIndex(path, index =>
    {
        for (int at = HeaderSize; at + SlotSize <= index.Length; at += SlotSize)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(index.AsSpan(at + 8)) != 0)
                patch(index.AsSpan(at, SlotSize));
        }
        return index;
    });

    private delegate void SlotPatch(Span<byte> slot);
}
