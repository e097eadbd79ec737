using Mono.Unix.Native;

namespace DovecotRootHelper.Posix;

/// <summary>
/// An open directory, reached without following any symbolic link, and the *at calls relative to it.
/// The migration runs as root over a tree its user controls; every name it touches is resolved one
/// component at a time from a handle like this one (O_NOFOLLOW | O_DIRECTORY), so a user who swaps a
/// directory for a symlink mid-way cannot make it act outside the tree it opened.
/// </summary>
public sealed class DirectoryHandle : IDisposable
{
    private static readonly int DirectoryFlags = Flags.ReadOnly | Flags.Directory | Flags.NoFollow | Flags.CloseOnExec;
    private static readonly int FileFlags = Flags.ReadOnly | Flags.NoFollow | Flags.CloseOnExec | Flags.NoControllingTerminal | Flags.NonBlocking;

    private static FileOpenFlags Flags => FileOpenFlags.Native;

    private readonly FileDescriptor _fd;

    private DirectoryHandle(FileDescriptor fd, string path)
    {
        _fd = fd;
        Path = path;
    }

    /// <summary>The path this handle was reached by, for messages only; never re-resolved.</summary>
    public string Path { get; }

    public int Number => _fd.Number;

    /// <summary>Opens an absolute path, refusing a symlink in the last component (the admin-given root, e.g. a home).</summary>
    public static DirectoryHandle OpenRoot(string absolutePath)
    {
        if (!System.IO.Path.IsPathRooted(absolutePath))
            throw new ArgumentException($"{absolutePath} is not an absolute path", nameof(absolutePath));
        int fd = Libc.Open(absolutePath, DirectoryFlags, 0);
        if (fd < 0)
            PosixError.Throw(PosixError.Last(), "open directory", absolutePath);
        return new DirectoryHandle(new FileDescriptor(fd), absolutePath.TrimEnd('/') is "" ? "/" : absolutePath.TrimEnd('/'));
    }

    /// <summary>Opens a relative path (a/b/c) one component at a time, never following a link.</summary>
    public DirectoryHandle OpenDirectory(string relativePath)
    {
        DirectoryHandle current = this;
        bool owned = false;
        try
        {
            foreach (string name in Components(relativePath))
            {
                int fd = Libc.Openat(current.Number, name, DirectoryFlags, 0);
                if (fd < 0)
                    PosixError.Throw(PosixError.Last(), "openat", Join(current.Path, name));
                var next = new DirectoryHandle(new FileDescriptor(fd), Join(current.Path, name));
                if (owned)
                    current.Dispose();
                current = next;
                owned = true;
            }
            return owned ? current : Duplicate();
        }
        catch
        {
            if (owned)
                current.Dispose();
            throw;
        }
    }

    /// <summary>lstat of one name in this directory; null when it does not exist.</summary>
    public FileStatus? StatusOrNull(string name)
    {
        RequireName(name);
        if (Syscall.fstatat(Number, name, out Stat st, AtFlags.AT_SYMLINK_NOFOLLOW) == 0)
            return Sys.ToStatus(st);
        Errno errno = PosixError.Last();
        if (errno is Errno.ENOENT)
            return null;
        throw PosixError.Create(errno, "fstatat", Join(Path, name));
    }

    /// <summary>The status of this directory itself.</summary>
    public FileStatus Status() => Sys.Status(_fd, Path);

    /// <summary>The names in this directory, without . and ..</summary>
    public List<string> ListNames()
    {
        // fdopendir takes over the descriptor it is given, so it gets a duplicate of ours.
        int copy = Libc.Openat(Number, ".", DirectoryFlags, 0);
        if (copy < 0)
            PosixError.Throw(PosixError.Last(), "openat", Path);
        IntPtr dir = Syscall.fdopendir(copy);
        if (dir == IntPtr.Zero)
        {
            Errno errno = PosixError.Last(); // before close, which sets errno too
            _ = Syscall.close(copy);
            PosixError.Throw(errno, "fdopendir", Path);
        }
        var names = new List<string>();
        try
        {
            while (true)
            {
                System.Runtime.InteropServices.Marshal.SetLastPInvokeError(0);
                Dirent? entry = Syscall.readdir(dir);
                if (entry is null)
                {
                    Errno errno = PosixError.Last();
                    if (errno != 0)
                        PosixError.Throw(errno, "readdir", Path);
                    return names;
                }
                if (entry.d_name is not "." and not "..")
                    names.Add(entry.d_name);
            }
        }
        finally
        {
            _ = Syscall.closedir(dir);
        }
    }

    /// <summary>rename(2) of one name here to one name in <paramref name="target"/>; never follows links.</summary>
    public void RenameTo(string name, DirectoryHandle target, string targetName)
    {
        RequireName(name);
        RequireName(targetName);
        if (Syscall.renameat(Number, name, target.Number, targetName) != 0)
            PosixError.Throw(PosixError.Last(), "renameat", $"{Join(Path, name)} -> {Join(target.Path, targetName)}");
    }

    /// <summary>Creates a subdirectory with the given mode and owner (set through the new directory's own handle).</summary>
    public void CreateDirectory(string name, uint mode, uint uid, uint gid)
    {
        RequireName(name);
        if (Syscall.mkdirat(Number, name, (FilePermissions)(mode & FileModes.AllPermissions)) != 0)
            PosixError.Throw(PosixError.Last(), "mkdirat", Join(Path, name));
        using DirectoryHandle created = OpenDirectory(name);
        if (Syscall.fchown(created.Number, uid, gid) != 0)
            PosixError.Throw(PosixError.Last(), "fchown", created.Path);
        // mkdir applies the umask; the mode must be exactly the source's.
        if (Syscall.fchmod(created.Number, (FilePermissions)(mode & FileModes.AllPermissions)) != 0)
            PosixError.Throw(PosixError.Last(), "fchmod", created.Path);
    }

    /// <summary>Removes an empty subdirectory.</summary>
    public void RemoveDirectory(string name)
    {
        RequireName(name);
        if (Syscall.unlinkat(Number, name, AtFlags.AT_REMOVEDIR) != 0)
            PosixError.Throw(PosixError.Last(), "unlinkat", Join(Path, name));
    }

    /// <summary>Creates a symbolic link here owned by <paramref name="uid"/> (never following it: fchownat with AT_SYMLINK_NOFOLLOW).</summary>
    public void CreateSymlink(string name, string target, uint uid, uint gid)
    {
        RequireName(name);
        if (Syscall.symlinkat(target, Number, name) != 0)
            PosixError.Throw(PosixError.Last(), "symlinkat", Join(Path, name));
        if (Libc.Fchownat(Number, name, uid, gid, Libc.AtSymlinkNoFollow) != 0)
            PosixError.Throw(PosixError.Last(), "fchownat", Join(Path, name));
    }

    /// <summary>The target of a symbolic link here; null when the name is not a symbolic link.</summary>
    public string? ReadLinkOrNull(string name)
    {
        RequireName(name);
        byte[] buffer = new byte[4097];
        long length = Syscall.readlinkat(Number, name, buffer);
        if (length >= 0)
            return length < buffer.Length ? System.Text.Encoding.UTF8.GetString(buffer, 0, (int)length) : null;
        Errno errno = PosixError.Last();
        if (errno is Errno.EINVAL or Errno.ENOENT)
            return null;
        throw PosixError.Create(errno, "readlinkat", Join(Path, name));
    }

    /// <summary>Removes a name that is not a directory (a symlink is removed, never followed).</summary>
    public void RemoveFile(string name)
    {
        RequireName(name);
        if (Syscall.unlinkat(Number, name, 0) != 0)
            PosixError.Throw(PosixError.Last(), "unlinkat", Join(Path, name));
    }

    /// <summary>fsync of this directory, so renames in it survive a crash.</summary>
    public void Sync()
    {
        if (Syscall.fsync(Number) != 0)
            PosixError.Throw(PosixError.Last(), "fsync", Path);
    }

    /// <summary>Opens a regular file here read-only, refusing a symlink.</summary>
    public FileDescriptor OpenFile(string name)
    {
        RequireName(name);
        int fd = Libc.Openat(Number, name, FileFlags, 0);
        if (fd < 0)
            PosixError.Throw(PosixError.Last(), "openat", Join(Path, name));
        return new FileDescriptor(fd);
    }

    /// <summary>Reads a regular file here (never through a symlink) up to <paramref name="limit"/> bytes.</summary>
    public byte[] ReadFile(string name, int limit)
    {
        using FileDescriptor fd = OpenFile(name);
        FileStatus status = Sys.Status(fd, Join(Path, name));
        if (!status.IsRegularFile)
            throw new PosixIOException(Errno.EINVAL, $"read {Join(Path, name)}: not a regular file");
        return Sys.ReadUpTo(fd, limit, Join(Path, name));
    }

    /// <summary>Opens a subdirectory one component at a time; null when some component is missing, not a directory or a symlink.</summary>
    public DirectoryHandle? OpenDirectoryOrNull(string relativePath)
    {
        try
        {
            return OpenDirectory(relativePath);
        }
        catch (Exception e) when (e is FileNotFoundException or PosixIOException { Errno: Errno.ELOOP or Errno.ENOTDIR })
        {
            return null;
        }
    }

    public void Dispose() => _fd.Dispose();

    /// <summary>Splits a relative path into names, refusing absolute paths, empty names, "." and "..".</summary>
    public static string[] Components(string relativePath)
    {
        if (relativePath.Length == 0)
            return [];
        if (relativePath[0] == '/')
            throw new ArgumentException($"'{relativePath}' is not a relative path", nameof(relativePath));
        string[] names = relativePath.Split('/');
        foreach (string name in names)
            RequireName(name);
        return names;
    }

    private DirectoryHandle Duplicate()
    {
        int fd = Libc.Openat(Number, ".", DirectoryFlags, 0);
        if (fd < 0)
            PosixError.Throw(PosixError.Last(), "openat", Path);
        return new DirectoryHandle(new FileDescriptor(fd), Path);
    }

    private static void RequireName(string name)
    {
        if (name.Length == 0 || name is "." or ".." || name.Contains('/', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal))
            throw new ArgumentException($"'{name}' is not a single file name", nameof(name));
    }

    private static string Join(string directory, string name) => directory == "/" ? "/" + name : directory + "/" + name;
}
