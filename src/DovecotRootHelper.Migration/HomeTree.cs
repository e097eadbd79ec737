using DovecotRootHelper.Posix;

namespace DovecotRootHelper.Migration;

/// <summary>
/// A user's home, opened once, and every look and change the migration makes in it, by paths
/// relative to the home resolved one component at a time without following a symlink.
/// </summary>
/// <remarks>
/// Why *at calls as root rather than switching to the user's credentials: the migration must also
/// check ownership (refuse objects of other users), write root's journal and state file between
/// moves, and keep one process that can be killed and resumed at any instant. A seteuid to the user
/// would protect against writing outside what the user may write, but not against following a
/// symlink the user planted into another user's tree the user can also write (group-writable
/// shares), and it is per-thread-fragile in .NET. Directory handles opened with O_NOFOLLOW give the
/// stronger guarantee: no name is ever resolved through a link, so a directory swapped for a symlink
/// mid-way makes the next openat fail (ELOOP/ENOTDIR) instead of acting outside the home.
/// </remarks>
internal sealed partial class HomeTree : IDisposable
{
    private readonly DirectoryHandle _home;

    // Directories changed (an entry renamed, made or removed) and not yet fsynced: one fsync per
    // directory per batch instead of two per rename, so 100,000 moves do not cost 200,000 fsyncs.
    private readonly HashSet<string> _unsynced = new(StringComparer.Ordinal);

    public HomeTree(string home) => _home = DirectoryHandle.OpenRoot(home);

    public string Home => _home.Path;

    /// <summary>The status of the home directory itself.</summary>
    public FileStatus HomeStatus() => _home.Status();

    /// <summary>lstat of a path; null when it or a parent is missing. <paramref name="blocked"/>: a parent is a symlink or not a directory.</summary>
    public FileStatus? Probe(string path, out bool blocked)
    {
        blocked = false;
        if (path.Length == 0)
            return _home.Status();
        (string parent, string name) = Split(path);
        DirectoryHandle? dir = OpenParent(parent, out blocked);
        if (dir is null)
            return null;
        using (dir)
            return dir.StatusOrNull(name);
    }

    public FileStatus? Probe(string path) => Probe(path, out _);

    /// <summary>The nearest existing ancestor (or the path itself), for the device a rename into it will land on.</summary>
    public FileStatus NearestExisting(string path)
    {
        while (true)
        {
            if (Probe(path) is { } status)
                return status;
            path = Split(path).Parent;
        }
    }

    /// <summary>The entries of a directory with their lstat; null when it is missing or reached through a link.</summary>
    public List<(string Name, FileStatus Status)>? List(string path)
    {
        using DirectoryHandle? dir = path.Length == 0 ? _home.OpenDirectory("") : _home.OpenDirectoryOrNull(path);
        if (dir is null)
            return null;
        var entries = new List<(string, FileStatus)>();
        foreach (string name in dir.ListNames())
        {
            if (dir.StatusOrNull(name) is { } status)
                entries.Add((name, status));
        }
        return entries;
    }

    /// <summary>The first <paramref name="limit"/> bytes of a regular file (never through a link).</summary>
    public byte[] Read(string path, int limit)
    {
        (string parent, string name) = Split(path);
        using DirectoryHandle dir = _home.OpenDirectory(parent);
        return dir.ReadFile(name, limit);
    }

    /// <summary>rename(2) between two paths of the home; both parents are fsynced by <see cref="SyncChanges"/>.</summary>
    public void Rename(string from, string to)
    {
        (string fromParent, string fromName) = Split(from);
        (string toParent, string toName) = Split(to);
        using DirectoryHandle source = _home.OpenDirectory(fromParent);
        using DirectoryHandle target = _home.OpenDirectory(toParent);
        source.RenameTo(fromName, target, toName);
        _unsynced.Add(toParent);
        _unsynced.Add(fromParent);
    }

    public void CreateDirectory(string path, uint mode, uint uid, uint gid)
    {
        (string parent, string name) = Split(path);
        using DirectoryHandle dir = _home.OpenDirectory(parent);
        dir.CreateDirectory(name, mode, uid, gid);
        _unsynced.Add(parent);
    }

    /// <summary>A symbolic link owned by the user, never followed; its directory is fsynced by <see cref="SyncChanges"/>.</summary>
    public void CreateSymlink(string path, string target, uint uid, uint gid)
    {
        (string parent, string name) = Split(path);
        using DirectoryHandle dir = _home.OpenDirectory(parent);
        dir.CreateSymlink(name, target, uid, gid);
        _unsynced.Add(parent);
    }

    /// <summary>The target of the symbolic link at a path; null when it is not one (or is missing).</summary>
    public string? ReadLink(string path)
    {
        (string parent, string name) = Split(path);
        using DirectoryHandle? dir = _home.OpenDirectoryOrNull(parent);
        return dir?.ReadLinkOrNull(name);
    }

    /// <summary>Removes a symbolic link (unlinkat never follows it); its directory is fsynced by <see cref="SyncChanges"/>.</summary>
    public void RemoveSymlink(string path)
    {
        (string parent, string name) = Split(path);
        using DirectoryHandle dir = _home.OpenDirectory(parent);
        dir.RemoveFile(name);
        _unsynced.Add(parent);
    }

    public void RemoveDirectory(string path)
    {
        (string parent, string name) = Split(path);
        using DirectoryHandle dir = _home.OpenDirectory(parent);
        dir.RemoveDirectory(name);
        _unsynced.Remove(path);
        _unsynced.Add(parent);
    }

    /// <summary>
    /// fsync of every directory changed since the last call, so the renames, makes and removals so
    /// far survive a crash; called before the journal records them and before any phase or state
    /// change that relies on them. A directory no longer there (removed, or replaced by the user)
    /// has nothing left to make durable.
    /// </summary>
    public void SyncChanges()
    {
        foreach (string path in _unsynced)
        {
            using DirectoryHandle? dir = path.Length == 0 ? _home.OpenDirectory("") : _home.OpenDirectoryOrNull(path);
            dir?.Sync();
        }
        _unsynced.Clear();
    }

    public void Dispose() => _home.Dispose();

    public static (string Parent, string Name) Split(string path)
    {
        int slash = path.LastIndexOf('/');
        return slash < 0 ? ("", path) : (path[..slash], path[(slash + 1)..]);
    }

    private DirectoryHandle? OpenParent(string parent, out bool blocked)
    {
        blocked = false;
        DirectoryHandle current = _home.OpenDirectory("");
        foreach (string name in DirectoryHandle.Components(parent))
        {
            FileStatus? status = current.StatusOrNull(name);
            if (status is not { IsDirectory: true })
            {
                blocked = status is not null;
                current.Dispose();
                return null;
            }
            DirectoryHandle next = current.OpenDirectory(name);
            current.Dispose();
            current = next;
        }
        return current;
    }
}
