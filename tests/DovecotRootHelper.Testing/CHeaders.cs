using System.Text;

namespace DovecotRootHelper.Testing;

/// <summary>
/// Checks numbers copied from C headers against an architecture's own headers, not only this
/// machine's: clang compiles a <c>_Static_assert</c> per constant for that target (syntax only, no
/// code is generated), so a value right for x86-64 but wrong for arm64 fails here on any machine.
/// Needs clang and, for arm64, Debian's libc6-dev-arm64-cross (<c>./build.sh test</c> installs both).
/// </summary>
public static class CHeaders
{
    public const string X64 = "x86_64-linux-gnu";
    public const string Arm64 = "aarch64-linux-gnu";

    /// <summary>clang's complaints, one per constant whose value the headers disagree with; empty when all agree.</summary>
    public static string Mismatches(string target, IEnumerable<string> headers, IEnumerable<(string Name, long Value)> constants)
    {
        var source = new StringBuilder("#define _GNU_SOURCE 1\n");
        foreach (string header in headers)
            source.Append("#include <").Append(header).Append(">\n");
        foreach ((string name, long value) in constants)
            source.Append("_Static_assert((long long)(").Append(name).Append(") == ").Append(value).Append("LL, \"")
                .Append(name).Append(" is not ").Append(value).Append(" on ").Append(target).Append("\");\n");
        string file = Path.Combine(Path.GetTempPath(), $"drh-cheaders-{Environment.ProcessId}-{Guid.NewGuid():N}.c");
        File.WriteAllText(file, source.ToString());
        try
        {
            List<string> arguments = ["--target=" + target, "-fsyntax-only", "-Werror", file];
            if (target != NativeTarget)
            {
                // Only the cross headers, never this machine's: Debian's layout is /usr/<triple>/include.
                string include = $"/usr/{target}/include";
                if (!Directory.Exists(include))
                    throw new InvalidOperationException($"{include} is missing: install libc6-dev-{(target == Arm64 ? "arm64" : "amd64")}-cross (./build.sh test does)");
                arguments.InsertRange(0, ["-nostdlibinc", "-isystem", include]);
            }
            NativeRun run = NativeProcess.Run("clang", arguments, timeoutSeconds: 120);
            return run.ExitCode == 0 ? "" : run.Stderr + run.Stdout;
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string NativeTarget => System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => X64,
        System.Runtime.InteropServices.Architecture.Arm64 => Arm64,
        var other => throw new PlatformNotSupportedException($"no clang target known for {other}"),
    };
}
