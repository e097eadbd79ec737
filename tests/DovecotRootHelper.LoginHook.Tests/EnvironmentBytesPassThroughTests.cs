namespace DovecotRootHelper.LoginHook.Tests;

/// <summary>
/// Issue 10, defect 3: an environment and an argv are bytes. What the hook does not read reaches the
/// next program byte for byte; a value it must read as text that is not UTF-8 refuses the login,
/// never a copy with U+FFFD in place of a byte.
/// </summary>
public class EnvironmentBytesPassThroughTests
{
    // Runs the hook through sh and env(1), which take raw bytes from printf (.NET's process API can
    // only pass text): each of assignments is a printf format of NAME=VALUE, each of extraArguments
    // a printf format of one more argument for the program the hook execs.
    private static (HookRun Run, ExecRecord? Exec) LoginWithBytes(HookScenario scenario, string[] assignments, params string[] extraArguments)
    {
        File.Delete(scenario.RecordPath);
        string Quoted(string printf) => $"\"$(printf '{printf}')\"";
        string script = $"exec env {string.Join(' ', assignments.Select(Quoted))} \"$@\" {string.Join(' ', extraArguments.Select(Quoted))}";
        NativeRun run = NativeProcess.Run("/bin/sh", ["-c", script, "sh", PublishedHook.Binary, PublishedHook.Recorder, scenario.RecordPath], scenario.LoginEnvironment(), [], timeoutSeconds: 30);
        return (new HookRun(run.ExitCode, run.Stdout, run.Stderr), ExecRecord.Load(scenario.RecordPath));
    }

    [Fact]
    public void VariablesTheHookDoesNotReadPassThroughByteForByte()
    {
        using var scenario = new HookScenario("alice migrated\n");
        (HookRun run, ExecRecord? exec) = LoginWithBytes(scenario, ["ORGANIZATION=M\\374ller", "LATIN1_\\351=x"]);
        Assert.Equal("", run.Stderr);
        Assert.NotNull(exec);
        Assert.Equal(new byte[] { (byte)'M', 0xfc, (byte)'l', (byte)'l', (byte)'e', (byte)'r' }, exec.RawEnvironment["ORGANIZATION"]);
        Assert.Contains(exec.RawEnvironment, v => v.Key.StartsWith("LATIN1_", StringComparison.Ordinal) && v.Value is [(byte)'x']);
        Assert.StartsWith("mbox:", exec.Environment["MAIL"], StringComparison.Ordinal);
    }

    [Fact]
    public void ArgumentsPassThroughByteForByte()
    {
        using var scenario = new HookScenario("alice migrated\n");
        (HookRun run, ExecRecord? exec) = LoginWithBytes(scenario, [], "caf\\351");
        Assert.Equal("", run.Stderr);
        Assert.NotNull(exec);
        Assert.Equal(new byte[] { (byte)'c', (byte)'a', (byte)'f', 0xe9 }, exec.RawArgv[^1]);
    }

    [Theory]
    [InlineData("USER", "m\\374ller", "USER is not UTF-8 ('m\\xfcller')")]
    [InlineData("HOME", "/home/m\\374ller", "HOME is not UTF-8 ('/home/m\\xfcller')")]
    public void AValueTheHookMustReadThatIsNotUtf8RefusesTheLogin(string name, string printf, string logged)
    {
        using var scenario = new HookScenario("alice migrated\n");
        (HookRun run, ExecRecord? exec) = LoginWithBytes(scenario, [$"{name}={printf}"]);
        Assert.Null(exec);
        Assert.StartsWith("* BYE [UNAVAILABLE] ", run.Stdout, StringComparison.Ordinal);
        Assert.Contains(logged, run.Stderr, StringComparison.Ordinal);
        Assert.Single(run.Stderr.TrimEnd('\n').Split('\n'));
    }
}
