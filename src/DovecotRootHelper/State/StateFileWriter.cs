using System.Text;
using DovecotRootHelper.Locations;
using DovecotRootHelper.Posix;

namespace DovecotRootHelper.State;

/// <summary>
/// Changes users' states: takes the exclusive lock (<c>FILE.lock</c>), rewrites the file into a
/// temporary file beside it, fsyncs it, renames it over the old one and fsyncs the directory.
/// Lines it does not change are kept byte for byte, comments included. Then, still under the lock,
/// it writes the index logins look users up in (<see cref="StateFileIndex"/>).
/// </summary>
public sealed class StateFileWriter : IDisposable
{
    private readonly FileDescriptor _lock;
    private readonly IStateFileCompanion? _companion;
    private readonly TargetLocations? _targets;

    private StateFileWriter(string path, FileDescriptor lockFd, IStateFileCompanion? companion, TargetLocations? targets)
    {
        Path = path;
        _lock = lockFd;
        _companion = companion;
        _targets = targets;
    }

    public string Path { get; }

    /// <summary>
    /// Waits for and takes the state file's lock; dispose to release it. A <paramref name="companion"/>
    /// (the generated userdb) is rewritten with every publish. <paramref name="targets"/> are the
    /// config's target locations, the states besides the built-in three that lines may hold.
    /// </summary>
    /// <exception cref="StateFileException">The state file's directory breaks <see cref="TrustedDirectory"/>'s rule.</exception>
    public static StateFileWriter Lock(string path, IStateFileCompanion? companion = null, TargetLocations? targets = null)
    {
        RequireTrustedDirectory(path);
        FileDescriptor fd = Sys.OpenLockFile(path + ".lock", FileModes.UserReadWrite);
        try
        {
            Sys.LockExclusive(fd, path + ".lock");
        }
        catch
        {
            fd.Dispose();
            throw;
        }
        return new StateFileWriter(path, fd, companion, targets);
    }

    // Root creates the lock, a temporary file and the index in this directory and renames over the
    // state file: anyone else who may write in it (sticky or not) could hold the lock file they
    // created, or remove the state file between two imaproot commands, sending every listed user to
    // the default. The hook does not look (one more open per login); imaproot refuses to write.
    private static void RequireTrustedDirectory(string path)
    {
        string directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) ?? "/";
        try
        {
            _ = TrustedDirectory.CheckIfExists(directory);
        }
        catch (UntrustedFileException e)
        {
            throw new StateFileException(directory, 0, $"{e.Problem}; the state file's directory must be writable by root (or the user imaproot runs as) only");
        }
    }

    /// <summary>The current contents; a missing file is an empty one. Refuses a file with problems.</summary>
    public StateFileContents Read() => Current();

    // The file as this writer last read or wrote it, parsed once: under the lock nobody else changes
    // it, and at 100,000 users every extra parse is a noticeable part of an imaproot set.
    private StateFileContents? _current;

    // Refuses to build on a file with problems: rewriting it would hide them.
    private StateFileContents Current()
    {
        if (_current is { } current)
            return current;
        ReadOnlyMemory<byte> bytes = Sys.LinkStatusOrNull(Path) is null ? ReadOnlyMemory<byte>.Empty : StateFileReader.ReadTrusted(Path);
        StateFileContents contents = StateFileSyntax.ParseAll(bytes, Path, _targets);
        if (!contents.IsValid)
            throw contents.Problems[0];
        _current = contents;
        return contents;
    }

    /// <summary>Sets one user's state (adding the user if absent) and returns the entry written.</summary>
    public StateEntry SetState(string user, UserState state, string note)
    {
        byte[] newLine = LineFor(user, state, note);
        StateFileContents parsed = Current();
        ReadOnlySpan<byte> old = parsed.Bytes.Span;
        int at = parsed.IndexOf(Encoding.UTF8.GetBytes(user));
        int start;
        int end;
        int lineNumber;
        if (at >= 0)
        {
            StateLine previous = parsed.Lines[at];
            start = previous.LineStart;
            int length = old[start..].IndexOf((byte)'\n');
            end = length < 0 ? old.Length : start + length + 1;
            lineNumber = previous.Line;
        }
        else
        {
            at = parsed.Count;
            bool needsNewline = old.Length > 0 && old[^1] != (byte)'\n';
            if (needsNewline)
                newLine = [(byte)'\n', .. newLine];
            start = end = old.Length;
            lineNumber = old.Count((byte)'\n') + (needsNewline ? 2 : 1);
        }
        byte[] updated = Sys.Populated(GC.AllocateUninitializedArray<byte>(start + newLine.Length + old.Length - end));
        old[..start].CopyTo(updated);
        newLine.CopyTo(updated.AsSpan(start));
        old[end..].CopyTo(updated.AsSpan(start + newLine.Length));
        int lineStart = updated[start] == (byte)'\n' ? start + 1 : start;
        // The one changed line is parsed on its own; every other line was validated when read.
        StateLine line = StateFileSyntax.ScanLine(updated, lineStart, start + newLine.Length - 1, lineNumber, Path, _targets, out _)
            ?? throw new ArgumentException($"'{user}' is not a state line", nameof(user));
        StateFileContents next = parsed.With(updated, at, line);
        Publish(next);
        StateEntry written = next.EntryAt(at);
        return written;
    }

    /// <summary>
    /// Sets several users' states in one write of the file, its index and its companion (a batch
    /// migration's "all migrating" and "results"): each listed user's line is replaced in place,
    /// users not listed are appended in the order given.
    /// </summary>
    public void SetStates(IReadOnlyList<(string User, UserState State)> changes, string note)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.Count == 0)
            return;
        StateFileContents parsed = Current();
        ReadOnlySpan<byte> old = parsed.Bytes.Span;
        var replaced = new SortedDictionary<int, byte[]>();
        var appended = new List<byte[]>();
        foreach ((string user, UserState state) in changes)
        {
            byte[] line = LineFor(user, state, note);
            int at = parsed.IndexOf(Encoding.UTF8.GetBytes(user));
            if (at >= 0)
                replaced[parsed.Lines[at].LineStart] = line;
            else
                appended.Add(line);
        }
        using var updated = new MemoryStream(old.Length + (appended.Count * 64));
        int copied = 0;
        foreach ((int start, byte[] line) in replaced)
        {
            updated.Write(old[copied..start]);
            updated.Write(line);
            int length = old[start..].IndexOf((byte)'\n');
            copied = length < 0 ? old.Length : start + length + 1;
        }
        updated.Write(old[copied..]);
        if (appended.Count > 0 && updated.Length > 0 && updated.GetBuffer()[updated.Length - 1] != (byte)'\n')
            updated.WriteByte((byte)'\n');
        foreach (byte[] line in appended)
            updated.Write(line);
        Publish(updated.GetBuffer().AsSpan(0, (int)updated.Length));
    }

    /// <summary>
    /// Refuses what no state line can hold: a name breaking the user-name rule, a note of more than
    /// one line. Every backend checks this, so that the database always exports a file the hook reads.
    /// </summary>
    public static void RequireWritable(string user, string note)
    {
        ArgumentNullException.ThrowIfNull(note);
        if (!StateFileSyntax.IsValidUserName(user))
            throw new ArgumentException($"'{user}' cannot be a user name in the state file", nameof(user));
        if (note.Contains('\n', StringComparison.Ordinal) || note.Contains('\r', StringComparison.Ordinal))
            throw new ArgumentException("a note must be one line", nameof(note));
    }

    // The state line imaproot writes for a user: USER TAB STATE [TAB NOTE] and a newline.
    private static byte[] LineFor(string user, UserState state, string note)
    {
        RequireWritable(user, note);
        return Encoding.UTF8.GetBytes(note.Length == 0 ? $"{user}\t{state.ToName()}\n" : $"{user}\t{state.ToName()}\t{note}\n");
    }

    /// <summary>
    /// Rewrites the state file as it is (validated, byte for byte, atomically) and its index: after
    /// a hand edit, so that logins look users up through the index again. Returns the number of users.
    /// </summary>
    public int Reindex()
    {
        if (Sys.LinkStatusOrNull(Path) is null)
            throw new StateFileException(Path, 0, "cannot open: No such file or directory");
        StateFileContents parsed = Current();
        Publish(parsed);
        return parsed.Count;
    }

    /// <summary>
    /// Writes new contents atomically (temp file, fsync, rename, fsync directory), then their index,
    /// then the companion. Refuses contents with problems (the index relies on every line parsing
    /// and no user twice, and a broken file would refuse logins) or that the companion cannot write.
    /// </summary>
    public void Publish(ReadOnlySpan<byte> contents)
    {
        StateFileContents parsed = StateFileSyntax.ParseAll(contents.ToArray(), Path, _targets);
        if (!parsed.IsValid)
            throw parsed.Problems[0];
        Publish(parsed);
    }

    private void Publish(StateFileContents parsed)
    {
        _companion?.Validate(parsed);
        _current = null;
        FileStatus written = Sys.ReplaceFile(Path, parsed.Bytes.Span, FileModes.UserReadWriteOthersRead);
        StateFileIndex.Write(Path, parsed, written);
        _companion?.Write(parsed);
        _current = parsed;
    }

    public void Dispose() => _lock.Dispose();
}
