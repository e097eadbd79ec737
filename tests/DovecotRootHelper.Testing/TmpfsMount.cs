using System.Diagnostics;

namespace DovecotRootHelper.Testing;

/// <summary>
/// A tmpfs mounted (the tests run as root) on a directory inside a test's temporary directory, so
/// that a test can reach code that compares st_dev; unmounted when the test ends. A mount that fails
/// fails the test: a branch the test cannot reach is not a pass.
/// </summary>
public sealed class TmpfsMount : IDisposable
{
    public TmpfsMount(string directory)
    {
        Directory = directory;
        Run("mount", "-t", "tmpfs", "-o", "size=1m", "drh-test", directory);
    }

    public string Directory { get; }

    public void Dispose() => Run("umount", Directory);

    private static void Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {program}");
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited {process.ExitCode} (the tests must run as root): {error.Trim()}");
    }
}
