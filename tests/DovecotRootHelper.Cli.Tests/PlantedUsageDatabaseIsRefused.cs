using System.Diagnostics;

namespace DovecotRootHelper.Cli.Tests;

/// <summary>
/// A usage database that breaks the state file's rule (a FIFO, a symlink, a file others can
/// write) stops plan, usage show and candidates with one line naming it: never a hang, never
/// root writing through a link, never evidence others could have written.
/// </summary>
public class PlantedUsageDatabaseIsRefused
{
    [Theory]
    [InlineData("fifo", "refused: not a regular file (a FIFO)")]
    [InlineData("symlink", "refused: a symbolic link")]
    [InlineData("0666", "refused: mode 666 lets others than its owner write it")]
    public async Task PlanUsageShowAndCandidatesSayOneLine(string planted, string problem)
    {
        using var home = new CliHome();
        string database = Path.Combine(home.Home.Root, "usage.sqlite");
        File.AppendAllText(home.Home.ConfigPath, $"\n[usage]\ndatabase = {database}\n");
        string victim = Path.Combine(home.Home.Root, "victim");
        switch (planted)
        {
            case "fifo":
                using (Process mkfifo = Process.Start("mkfifo", database))
                    await mkfifo.WaitForExitAsync();
                break;
            case "symlink":
                File.CreateSymbolicLink(database, victim);
                break;
            default:
                File.WriteAllBytes(database, []);
                File.SetUnixFileMode(database, (UnixFileMode)0x1B6);
                break;
        }

        foreach (string[] command in new[] { ["plan", "alice"], ["usage", "show", "alice"], ["candidates"], new[] { "usage", "scan", "/dev/null" } })
        {
            Task<CliRun> running = Task.Run(() => home.Run(command));
            Assert.True(await Task.WhenAny(running, Task.Delay(TimeSpan.FromSeconds(20))) == running, $"{string.Join(' ', command)} hung");
            CliRun run = await running;
            Assert.Equal(1, run.ExitCode);
            Assert.Equal($"imaproot: {database}: {problem}\n", run.Stderr);
        }
        Assert.False(File.Exists(victim));
    }
}
