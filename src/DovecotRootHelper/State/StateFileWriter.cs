using System.Text;
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

    private StateFileWriter(string path, FileDescriptor lockFd, IStateFileCompanion? companion)
    {
        Path = path;
        _lock = lockFd;
        _companion = companion;
    }

    public string Path { get; }

    /// <summary>
    /// Waits for and takes the state file's lock; dispose to release it. A <paramref name="companion"/>
    /// (the generated userdb) is rewritten with every publish.
    /// </summary>
    public static StateFileWriter Lock(string path, IStateFileCompanion? companion = null)
    {
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
        return new StateFileWriter(path, fd, companion);
    }

    /// <summary>The current contents; a missing file is an empty one. Refuses a file with problems.</summary>
    public StateFileContents Read() => StateFileSyntax.ParseAll(ReadBytes(), Path);

    // Refuses to build on a file with problems: rewriting it would hide them.
    private byte[] ReadBytes()
    {
        if (Sys.LinkStatusOrNull(Path) is null)
            return [];
        byte[] bytes = StateFileReader.ReadTrusted(Path).ToArray();
        StateFileContents contents = StateFileSyntax.ParseAll(bytes, Path);
        if (!contents.IsValid)
            throw contents.Problems[0];
        return bytes;
    }

    /// <summary>Sets one user's state (adding the user if absent) and returns the entry written.</summary>
    public StateEntry SetState(string user, UserState state, string note)
    {
        if (!StateFileSyntax.IsValidUserName(user))
            throw new ArgumentException($"'{user}' cannot be a user name in the state file", nameof(user));
        if (note.Contains('\n', StringComparison.Ordinal) || note.Contains('\r', StringComparison.Ordinal))
            throw new ArgumentException("a note must be one line", nameof(note));
        byte[] old = ReadBytes();
        string newLine = note.Length == 0 ? $"{user}\t{state.ToName()}" : $"{user}\t{state.ToName()}\t{note}";
        byte[] updated = Replace(old, user, newLine, out int lineNumber);
        Publish(updated);
        return new StateEntry(user, state, lineNumber, note);
    }

    /// <summary>
    /// Rewrites the state file as it is (validated, byte for byte, atomically) and its index: after
    /// a hand edit, so that logins look users up through the index again. Returns the number of users.
    /// </summary>
    public int Reindex()
    {
        if (Sys.LinkStatusOrNull(Path) is null)
            throw new StateFileException(Path, 0, "cannot open: No such file or directory");
        byte[] bytes = ReadBytes();
        Publish(bytes);
        return StateFileSyntax.ParseAll(bytes, Path).Entries.Count;
    }

    /// <summary>
    /// Writes new contents atomically (temp file, fsync, rename, fsync directory), then their index,
    /// then the companion. Refuses contents with problems (the index relies on every line parsing
    /// and no user twice, and a broken file would refuse logins) or that the companion cannot write.
    /// </summary>
    public void Publish(ReadOnlySpan<byte> contents)
    {
        StateFileContents parsed = StateFileSyntax.ParseAll(contents, Path);
        if (!parsed.IsValid)
            throw parsed.Problems[0];
        _companion?.Validate(parsed);
        FileStatus written = Sys.ReplaceFile(Path, contents, FileModes.UserReadWriteOthersRead);
        StateFileIndex.Write(Path, contents, written);
        _companion?.Write(parsed);
    }

    public void Dispose() => _lock.Dispose();

    private static byte[] Replace(byte[] old, string user, string newLine, out int lineNumber)
    {
        var result = new StringBuilder(old.Length + newLine.Length + 1);
        string text = Encoding.UTF8.GetString(old);
        string[] lines = text.Split('\n');
        int count = text.Length == 0 ? 0 : text.EndsWith('\n') ? lines.Length - 1 : lines.Length;
        lineNumber = 0;
        for (int i = 0; i < count; i++)
        {
            StateEntry? entry = StateFileSyntax.ParseLine(Encoding.UTF8.GetBytes(lines[i]), i + 1, "state");
            if (entry is not null && entry.User == user)
            {
                result.Append(newLine).Append('\n');
                lineNumber = i + 1;
            }
            else
            {
                result.Append(lines[i]).Append('\n');
            }
        }
        if (lineNumber == 0)
        {
            result.Append(newLine).Append('\n');
            lineNumber = count + 1;
        }
        return Encoding.UTF8.GetBytes(result.ToString());
    }
}
