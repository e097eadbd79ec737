using System.Diagnostics;

namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>The published native imaproot (artifacts/imaproot/imaproot), run as an administrator would.</summary>
public static class Imaproot
{
    public static ImaprootRun Run(string config, params string[] arguments) => Run(RepositoryLayout.Imaproot, config, null, arguments);

    /// <summary>The crash-test build (<see cref="DovecotRootHelper.Testing.CrashBuild"/>), SIGKILLing itself at <paramref name="point"/>.</summary>
    public static ImaprootRun RunKilledAt(string point, string config, params string[] arguments) =>
        Run(DovecotRootHelper.Testing.CrashBuild.Imaproot, config, point, arguments);

    private static ImaprootRun Run(string binary, string config, string? crashPoint, string[] arguments)
    {
        if (!File.Exists(binary))
            throw new InvalidOperationException($"{binary} is missing: run `./build.sh publish` in {RepositoryLayout.Root} before these tests.");
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (crashPoint is not null)
            start.Environment[DovecotRootHelper.Testing.CrashBuild.Variable] = crashPoint;
        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(config);
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        using Process process = Process.Start(start)!;
        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(90)))
        {
            process.Kill();
            throw new TimeoutException($"imaproot {string.Join(' ', arguments)} did not finish in 90 s");
        }
        return new ImaprootRun(process.ExitCode, stdout.Result, stderr.Result);
    }
}

/// <summary>What one imaproot run printed and how it exited.</summary>
public sealed record ImaprootRun(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Fails with everything imaproot said unless it exited 0.</summary>
    public ImaprootRun Succeeded()
    {
        Assert.True(ExitCode == 0, $"imaproot exited {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
        return this;
    }
}
