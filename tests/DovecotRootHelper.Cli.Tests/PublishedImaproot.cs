using System.Diagnostics;

namespace DovecotRootHelper.Cli.Tests;

/// <summary>Runs the published native imaproot (never `dotnet run`), stdin and stdout redirected as a script would.</summary>
public static class PublishedImaproot
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string Binary => Path.Combine(RepositoryRoot, "artifacts", "imaproot", "imaproot");

    public static string Hook => Path.Combine(RepositoryRoot, "artifacts", "hook", "dovecot-root-helper");

    public static CliRun Run(params string[] arguments) => Start(Binary, arguments, null, "");

    public static CliRun Start(string binary, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment, string stdin)
    {
        if (!File.Exists(binary))
            throw new InvalidOperationException($"{binary} is missing: run ./build.sh publish first");
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (environment is not null)
        {
            start.Environment.Clear();
            foreach (KeyValuePair<string, string> pair in environment)
                start.Environment[pair.Key] = pair.Value;
        }
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        using Process process = Process.Start(start)!;
        process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill();
            throw new TimeoutException($"{binary} did not finish in 60 s");
        }
        return new CliRun(process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string FindRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DovecotRootHelper.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("cannot find the repository root (DovecotRootHelper.sln) above " + AppContext.BaseDirectory);
    }
}

/// <summary>What one run left behind.</summary>
public sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>The documented form of an error: exactly one line on stderr, starting "imaproot: ".</summary>
    public void AssertOneErrorLine(string contains)
    {
        string[] lines = Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("imaproot: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(contains, lines[0], StringComparison.Ordinal);
    }
}
