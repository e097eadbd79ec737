using DovecotRootHelper.Posix;

namespace DovecotRootHelper.Migration;

internal sealed partial class HomeTree
{
    /// <summary>
    /// Removes the tree at <paramref name="path"/> (relative to the home) as root, one name at a time
    /// through directory handles: a symbolic link is removed, never followed, and anything not owned
    /// by <paramref name="owner"/> is left where it is (with its directories) and reported. Returns
    /// what was left; the directories changed are fsynced by <see cref="SyncChanges"/>.
    /// </summary>
    public List<string> RemoveTree(string path, uint owner)
    {
        var left = new List<string>();
        (string parent, string name) = Split(path);
        using DirectoryHandle dir = _home.OpenDirectory(parent);
        Remove(dir, name, owner, left);
        _unsynced.Add(parent);
        return left;
    }

    private static bool Remove(DirectoryHandle dir, string name, uint owner, List<string> left)
    {
        if (dir.StatusOrNull(name) is not { } status)
            return true;
        string shown = dir.Path.TrimEnd('/') + "/" + name;
        if (status.Uid != owner && !status.IsSymbolicLink)
        {
            left.Add($"{shown} (owned by uid {status.Uid})");
            return false;
        }
        if (!status.IsDirectory)
        {
            dir.RemoveFile(name);
            return true;
        }
        bool emptied = true;
        using (DirectoryHandle inner = dir.OpenDirectory(name))
        {
            foreach (string child in inner.ListNames())
                emptied &= Remove(inner, child, owner, left);
            inner.Sync();
        }
        if (emptied)
            dir.RemoveDirectory(name);
        return emptied;
    }
}
