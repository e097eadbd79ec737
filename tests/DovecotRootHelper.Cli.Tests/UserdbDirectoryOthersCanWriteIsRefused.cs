namespace DovecotRootHelper.Cli.Tests;

/// <summary>
/// Issue 19, item 5: imaproot wrote the all-services userdb into a directory others could write,
/// owned by whoever had planted a file there. Now it refuses (exit 4) before the state file changes,
/// and check names the directory.
/// </summary>
public class UserdbDirectoryOthersCanWriteIsRefused
{
    [Fact]
    public void SetRefusesAndLeavesEverythingAsItWasAndCheckSaysWhy()
    {
        using var scenario = new CliScenario("alice legacy\n", extraState: "userdb = PLACEHOLDER");
        string shared = Directory.CreateDirectory(Path.Combine(scenario.Dir, "shared")).FullName;
        File.SetUnixFileMode(shared, (UnixFileMode)0x3FF); // 01777, as /tmp
        string userdb = Path.Combine(shared, "userdb");
        File.WriteAllText(scenario.ConfigPath, File.ReadAllText(scenario.ConfigPath).Replace("PLACEHOLDER", userdb, StringComparison.Ordinal));

        CliRun set = scenario.Run("set", "alice", "migrated");

        Assert.Equal(4, set.ExitCode);
        set.AssertOneErrorLine($"{shared}: refused: mode 1777 lets others than its owner write it; the directory of [state] userdb must be writable by root (or the user imaproot runs as) only");
        Assert.Equal("alice legacy\n", scenario.State);
        Assert.False(File.Exists(userdb));

        CliRun check = scenario.Run("check");
        Assert.Equal(4, check.ExitCode);
        Assert.Contains($"{shared}: refused: mode 1777", check.Stdout, StringComparison.Ordinal);
    }
}
