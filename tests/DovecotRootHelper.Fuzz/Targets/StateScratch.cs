using DovecotRootHelper.Posix;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Fuzz.Targets;

/// <summary>
/// A state file and its index on disk, for the lookup the login hook makes (it reads the index with
/// pread). One directory a process under TMPDIR, reused by every input; run.sh points TMPDIR into
/// artifacts/fuzz and empties it, since afl-fuzz ends its targets with SIGKILL.
/// </summary>
internal static class StateScratch
{
    private static readonly string Directory = Create();

    public static string StatePath { get; } = Path.Combine(Directory, "state");

    /// <summary>Writes the state file and returns its status (what an index must name).</summary>
    public static FileStatus WriteState(ReadOnlySpan<byte> contents)
    {
        File.WriteAllBytes(StatePath, contents);
        using FileDescriptor fd = Sys.OpenReadOnly(StatePath);
        return Sys.Status(fd, StatePath);
    }

    public static void WriteIndex(ReadOnlySpan<byte> index) => File.WriteAllBytes(StateFileIndex.PathFor(StatePath), index);

    /// <summary>The hook's lookup: true when the index answered, with the entry it found.</summary>
    public static bool TryFind(string user, out StateEntry? entry)
    {
        using FileDescriptor fd = Sys.OpenReadOnly(StatePath);
        return StateFileIndex.TryFind(StatePath, fd, Sys.Status(fd, StatePath), user, countLines: true, targets: null, out entry);
    }

    private static string Create()
    {
        string path = Path.Combine(Path.GetTempPath(), $"drh-fuzz-{Environment.ProcessId}");
        System.IO.Directory.CreateDirectory(path);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => System.IO.Directory.Delete(path, recursive: true);
        return path;
    }
}
