using System.Text;
using DovecotRootHelper.Posix;

namespace DovecotRootHelper.LoginHook;

/// <summary>
/// The rest of argv as the bytes it came as, for execve. .NET hands Main decoded strings; they are
/// exact unless a byte was not UTF-8 (it then shows as U+FFFD), and only then is the kernel's own
/// copy, <c>/proc/self/cmdline</c>, read.
/// </summary>
internal static class ExecArguments
{
    public static byte[][] Of(string[] next)
    {
        if (!Array.Exists(next, a => a.Contains('\uFFFD', StringComparison.Ordinal)))
            return Array.ConvertAll(next, Encoding.UTF8.GetBytes);
        const string cmdline = "/proc/self/cmdline";
        using FileDescriptor fd = Sys.OpenReadOnly(cmdline);
        ReadOnlySpan<byte> all = Sys.ReadToEnd(fd, 4096, cmdline).Span;
        var arguments = new List<byte[]>();
        foreach (Range range in all.TrimEnd((byte)0).Split((byte)0))
            arguments.Add(all[range].ToArray());
        // argv[0] and the hook's own arguments come first; the program to exec is the tail.
        return [.. arguments.GetRange(arguments.Count - next.Length, next.Length)];
    }
}
