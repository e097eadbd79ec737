using System.Text;

namespace DovecotRootHelper.LoginHook.Tests;

/// <summary>Runs the published native hook (never `dotnet run`) the way script-login does: cleared environment, argv, stdin/stdout/stderr.</summary>
public static class PublishedHook
{
    public static string Binary => RepositoryRoot.Combine("artifacts", "hook", "dovecot-root-helper");

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
        NativeRun run = NativeProcess.Run(binary, arguments, environment, stdin ?? [], timeoutSeconds: 30);
        return new HookRun(run.ExitCode, run.Stdout, run.Stderr);
    }
}

/// <summary>What one run of the hook left behind.</summary>
public sealed record HookRun(int ExitCode, string Stdout, string Stderr);

/// <summary>What the program the hook exec'd saw, as written by EnvRecorder: as text, and as the bytes it was.</summary>
public sealed record ExecRecord(IReadOnlyList<string> Argv, IReadOnlyDictionary<string, string> Environment, IReadOnlyList<byte[]> RawArgv, IReadOnlyDictionary<string, byte[]> RawEnvironment)
{
    public static ExecRecord? Load(string path)
    {
        if (!File.Exists(path))
            return null;
        var argv = new List<string>();
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        var rawArgv = new List<byte[]>();
        var rawEnv = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        byte[] bytes = File.ReadAllBytes(path);
        foreach (Range range in bytes.AsSpan().Split((byte)0))
        {
            ReadOnlySpan<byte> item = bytes.AsSpan()[range];
            if (item.Length < 4)
                continue;
            ReadOnlySpan<byte> value = item[4..];
            if (item.StartsWith("ARG "u8))
            {
                argv.Add(Encoding.UTF8.GetString(value));
                rawArgv.Add(value.ToArray());
            }
            else
            {
                int eq = value.IndexOf((byte)'=');
                string name = Encoding.UTF8.GetString(value[..eq]);
                env[name] = Encoding.UTF8.GetString(value[(eq + 1)..]);
                rawEnv[name] = value[(eq + 1)..].ToArray();
            }
        }
        return new ExecRecord(argv, env, rawArgv, rawEnv);
    }
}
