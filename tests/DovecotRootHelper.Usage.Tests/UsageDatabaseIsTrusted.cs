using System.Diagnostics;
using DovecotRootHelper.Usage.Store;

namespace DovecotRootHelper.Usage.Tests;

/// <summary>
/// Root writes the usage database and every admin command reads it: it, its directory and the files
/// SQLite keeps beside it pass the state file's rule, or nothing is opened, with one line naming the file.
/// </summary>
public class UsageDatabaseIsTrusted
{
    private const UnixFileMode UserReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public void APlantedLinkIsNotFollowed()
    {
        using var scenario = new ScanScenario();
        string victim = scenario.PathOf("victim");
        File.CreateSymbolicLink(scenario.Database, victim);

        UsageStoreException e = Assert.Throws<UsageStoreException>(() => UsageStore.Open(scenario.Database));
        Assert.Equal($"{scenario.Database}: refused: a symbolic link", e.Message);
        Assert.False(File.Exists(victim));
        Assert.Throws<UsageStoreException>(() => UsageStore.OpenExisting(scenario.Database));
    }

    [Fact]
    public void ALinkToAnExistingFileLeavesItAlone()
    {
        using var scenario = new ScanScenario();
        string victim = scenario.PathOf("victim");
        File.WriteAllText(victim, "precious");
        File.SetUnixFileMode(victim, UserReadWrite);
        File.CreateSymbolicLink(scenario.Database, victim);

        Assert.Throws<UsageStoreException>(() => UsageStore.Open(scenario.Database));
        Assert.Equal("precious", File.ReadAllText(victim));
    }

    [Fact]
    public void ADatabaseOthersCanWriteIsRefused()
    {
        using var scenario = new ScanScenario();
        using (UsageStore.Open(scenario.Database))
        {
        }
        File.SetUnixFileMode(scenario.Database, UserReadWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite);

        UsageStoreException e = Assert.Throws<UsageStoreException>(() => UsageStore.OpenExisting(scenario.Database));
        Assert.Equal($"{scenario.Database}: refused: mode 666 lets others than its owner write it", e.Message);
    }

    [Fact]
    public void ADatabaseOfAnotherOwnerIsRefused()
    {
        using var scenario = new ScanScenario();
        using (UsageStore.Open(scenario.Database))
        {
        }
        File.SetUnixFileMode(scenario.Database, UserReadWrite);
        Chown(scenario.Database, 54321);

        UsageStoreException e = Assert.Throws<UsageStoreException>(() => UsageStore.Open(scenario.Database));
        Assert.StartsWith($"{scenario.Database}: refused: owned by uid 54321", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFifoIsRefusedNotWaitedOn()
    {
        using var scenario = new ScanScenario();
        Run("mkfifo", scenario.Database);

        Task<UsageStoreException> open = Task.Run(() => Assert.Throws<UsageStoreException>(() => UsageStore.OpenExisting(scenario.Database)));
        Assert.True(await Task.WhenAny(open, Task.Delay(TimeSpan.FromSeconds(10))) == open, "opening the database hung on a FIFO");
        Assert.Equal($"{scenario.Database}: refused: not a regular file (a FIFO)", (await open).Message);
    }

    [Theory]
    [InlineData("-wal")]
    [InlineData("-shm")]
    [InlineData("-journal")]
    [InlineData(".lock")]
    public void APlantedCompanionIsRefused(string suffix)
    {
        using var scenario = new ScanScenario();
        using (UsageStore.Open(scenario.Database))
        {
        }
        string victim = scenario.PathOf("victim");
        File.CreateSymbolicLink(scenario.Database + suffix, victim);

        UsageStoreException e = Assert.Throws<UsageStoreException>(() => UsageStore.Open(scenario.Database));
        Assert.Equal($"{scenario.Database}{suffix}: refused: a symbolic link", e.Message);
        Assert.False(File.Exists(victim));
    }

    [Fact]
    public void ADirectoryOthersCanWriteIsRefused()
    {
        using var scenario = new ScanScenario();
        string directory = Path.GetDirectoryName(scenario.Database)!;
        File.SetUnixFileMode(directory, File.GetUnixFileMode(directory) | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute);

        UsageStoreException e = Assert.Throws<UsageStoreException>(() => UsageStore.Open(scenario.Database));
        Assert.StartsWith($"{directory}: refused: mode ", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(scenario.Database));
    }

    [Fact]
    public void ANewDatabaseIsPrivateAndUsable()
    {
        using var scenario = new ScanScenario();
        using (UsageStore store = UsageStore.Open(scenario.Database))
            Assert.Equal(UsageSchema.Current, store.SchemaVersion);
        Assert.Equal(UserReadWrite, File.GetUnixFileMode(scenario.Database));
        using UsageStore? again = UsageStore.OpenExisting(scenario.Database);
        Assert.NotNull(again);
    }

    private static void Chown(string path, int uid) => Run("chown", $"{uid}", path);

    private static void Run(string program, params string[] arguments)
    {
        using Process process = Process.Start(program, arguments);
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }
}
