using System.Diagnostics;
using System.Text;

namespace DovecotRootHelper.Tests;

/// <summary>Runs the published native hook (never `dotnet run`) the way script-login does: cleared environment, argv, stdin/stdout/stderr.</summary>
public static class PublishedHook
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string Binary => Path.Combine(RepositoryRoot, "artifacts", "hook", "dovecot-root-helper");

    public static string Recorder => Path.Combine(AppContext.BaseDirectory, "EnvRecorder");

    public static HookRun Run(IReadOnlyDictionary<string, string> environment, IReadOnlyList<string> arguments, string? binary = null) =>
        Start(binary ?? Binary, environment, arguments, null);

    /// <summary>Runs the hook as Dovecot's checkpassword does: <paramref name="fd3"/> arrives on a pipe at fd 3.</summary>
    public static HookRun RunWithFd3(IReadOnlyDictionary<string, string> environment, IReadOnlyList<string> arguments, byte[] fd3) =>
        Start("/bin/sh", environment, ["-c", "exec 3<&0 0</dev/null; exec \"$@\"", "sh", Binary, .. arguments], fd3);

    private static HookRun Start(string binary, IReadOnlyDictionary<string, string> environment, IReadOnlyList<string> arguments, byte[]? stdin)
    {
        if (!File.Exists(Binary))
            throw new InvalidOperationException($"{Binary} is missing: run ./build.sh publish first");
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.Environment.Clear();
        foreach (KeyValuePair<string, string> pair in environment)
            start.Environment[pair.Key] = pair.Value;
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        using Process process = Process.Start(start)!;
        try
        {
            if (stdin is not null)
                process.StandardInput.BaseStream.Write(stdin);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The hook may refuse and exit before reading its input, as it should for some inputs.
        }
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(30_000))
        {
            process.Kill();
            throw new TimeoutException("the hook did not finish in 30 s");
        }
        return new HookRun(process.ExitCode, stdout.Result, stderr.Result);
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

/// <summary>What one run of the hook left behind.</summary>
public sealed record HookRun(int ExitCode, string Stdout, string Stderr);

/// <summary>What the program the hook exec'd saw, as written by EnvRecorder.</summary>
public sealed record ExecRecord(IReadOnlyList<string> Argv, IReadOnlyDictionary<string, string> Environment)
{
    public static ExecRecord? Load(string path)
    {
        if (!File.Exists(path))
            return null;
        var argv = new List<string>();
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string item in File.ReadAllText(path, Encoding.UTF8).Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            if (item.StartsWith("ARG ", StringComparison.Ordinal))
                argv.Add(item[4..]);
            else
            {
                int eq = item.IndexOf('=', StringComparison.Ordinal);
                env[item[4..eq]] = item[(eq + 1)..];
            }
        }
        return new ExecRecord(argv, env);
    }
}
