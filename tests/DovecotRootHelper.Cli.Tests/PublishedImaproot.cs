namespace DovecotRootHelper.Cli.Tests;

/// <summary>Runs the published native imaproot (never `dotnet run`), stdin and stdout redirected as a script would.</summary>
public static class PublishedImaproot
{
    public static string Binary => RepositoryRoot.Combine("artifacts", "imaproot", "imaproot");

    /// <summary>The crash-test build, for the tests that kill imaproot at every step (<see cref="CrashBuild"/>).</summary>
    public static string CrashBinary
    {
        get
        {
            if (!File.Exists(CrashBuild.Imaproot))
                throw new InvalidOperationException($"{CrashBuild.Imaproot} is missing: run ./build.sh publish first");
            return CrashBuild.Imaproot;
        }
    }

    public static string Hook => RepositoryRoot.Combine("artifacts", "hook", "dovecot-root-helper");

    public static CliRun Run(params string[] arguments) => Start(Binary, arguments, null, "");

    public static CliRun Start(string binary, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment, string stdin)
    {
        if (!File.Exists(binary))
            throw new InvalidOperationException($"{binary} is missing: run ./build.sh publish first");
        NativeRun run = NativeProcess.Run(binary, arguments, environment, System.Text.Encoding.UTF8.GetBytes(stdin));
        return new CliRun(run.ExitCode, run.Stdout, run.Stderr);
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
