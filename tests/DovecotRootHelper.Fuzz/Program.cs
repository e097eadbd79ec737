using SharpFuzz;

namespace DovecotRootHelper.Fuzz;

/// <summary>
/// <c>fuzz TARGET</c>: one input a run from stdin, for afl-fuzz through SharpFuzz (tests/fuzz/run.sh);
/// <c>replay TARGET FILE...</c>: the same checks on saved inputs, no fuzzer needed; <c>list</c>: the targets.
/// A target returns when its parser accepted the input and every stated property held, or rejected it
/// with its documented exception; anything else escapes, which afl-fuzz records as a crash.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args is ["list"])
        {
            foreach (string name in FuzzTargets.Names)
                Console.WriteLine(name);
            return 0;
        }
        if (args is ["fuzz", string fuzzed] && FuzzTargets.Find(fuzzed) is { } target)
        {
            Fuzzer.OutOfProcess.Run(stream =>
            {
                using var buffer = new MemoryStream();
                stream.CopyTo(buffer);
                target(buffer.ToArray());
            });
            return 0;
        }
        if (args is ["replay", string replayed, .. var files] && files.Length > 0 && FuzzTargets.Find(replayed) is { } replay)
            return Replay(replayed, replay, files);
        Console.Error.WriteLine($"usage: DovecotRootHelper.Fuzz list | fuzz TARGET | replay TARGET FILE...\ntargets: {string.Join(' ', FuzzTargets.Names)}");
        return 64;
    }

    private static int Replay(string name, Action<byte[]> target, string[] files)
    {
        int findings = 0;
        foreach (string file in files)
        {
            try
            {
                target(File.ReadAllBytes(file));
            }
            catch (Exception e)
            {
                findings++;
                Console.Error.WriteLine($"{name} {file}: {e}");
            }
        }
        Console.WriteLine($"{name}: {files.Length} input(s), {findings} finding(s)");
        return findings == 0 ? 0 : 1;
    }
}
