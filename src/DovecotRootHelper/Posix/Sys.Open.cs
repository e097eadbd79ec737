using System.Runtime.InteropServices;
using Mono.Unix.Native;

namespace DovecotRootHelper.Posix;

public static partial class Sys
{
    private static readonly FileOpenFlags Flags = FileOpenFlags.Native;

    /// <summary>
    /// Opens a file read-only; never follows a symbolic link in the last component, and does not
    /// block on a FIFO (O_NONBLOCK, which reads of a regular file ignore): callers check the type
    /// before reading. (Login path: libc directly.)
    /// </summary>
    public static FileDescriptor OpenReadOnly(string path) =>
        Open(path, Flags.ReadOnly | Flags.NoControllingTerminal | Flags.NonBlocking, 0, "open");

    /// <summary>
    /// <see cref="OpenReadOnly"/> for a file that may well be missing (the state file's index): null
    /// instead of an exception, which costs more than the rest of the lookup. (Login path.)
    /// </summary>
    public static FileDescriptor? TryOpenReadOnly(string path)
    {
        int fd = Libc.Open(path, Flags.ReadOnly | Flags.NoControllingTerminal | Flags.NonBlocking | Flags.NoFollow | Flags.CloseOnExec, 0);
        return fd < 0 ? null : new FileDescriptor(fd);
    }

    /// <summary>Opens a directory for fsync and locking.</summary>
    public static FileDescriptor OpenDirectory(string path) =>
        Open(path, Flags.ReadOnly | Flags.Directory, 0, "open directory");

    /// <summary>Creates a new file that must not exist yet (O_EXCL), for writing.</summary>
    public static FileDescriptor CreateNew(string path, uint mode) =>
        Open(path, Flags.WriteOnly | Flags.Create | Flags.Exclusive, mode, "create");

    /// <summary><see cref="CreateNew"/>, or null when something of that name exists already (EEXIST).</summary>
    public static FileDescriptor? TryCreateNew(string path, uint mode)
    {
        int fd = Libc.Open(path, Flags.WriteOnly | Flags.Create | Flags.Exclusive | Flags.NoFollow | Flags.CloseOnExec, mode);
        if (fd >= 0)
            return new FileDescriptor(fd);
        Errno errno = PosixError.Last();
        if (errno != Errno.EEXIST)
            PosixError.Throw(errno, "create", path);
        return null;
    }

    /// <summary>Opens (creating if needed) a file used only as a lock.</summary>
    public static FileDescriptor OpenLockFile(string path, uint mode) =>
        Open(path, Flags.ReadWrite | Flags.Create, mode, "open lock file");

    /// <summary>Opens a file for appending, creating it (mode <paramref name="mode"/>) if needed.</summary>
    public static FileDescriptor OpenAppend(string path, uint mode) =>
        Open(path, Flags.WriteOnly | Flags.Append | Flags.Create, mode, "open for append");

    // Every open: close-on-exec (the hook execs), and never through a symbolic link in the last component.
    private static FileDescriptor Open(string path, int flags, uint mode, string operation)
    {
        int fd = Libc.Open(path, flags | Flags.NoFollow | Flags.CloseOnExec, mode);
        if (fd < 0)
            PosixError.Throw(PosixError.Last(), operation, path);
        return new FileDescriptor(fd);
    }

    /// <summary>
    /// Creates a directory (not its parents) unless something of that name exists, which is left for
    /// the caller to judge (<see cref="TrustedDirectory"/>).
    /// </summary>
    public static void CreateDirectoryIfMissing(string path, uint mode)
    {
        if (Syscall.mkdir(path, (FilePermissions)mode) != 0)
        {
            Errno errno = PosixError.Last();
            if (errno != Errno.EEXIST)
                PosixError.Throw(errno, "mkdir", path);
        }
    }

    /// <summary>
    /// dup(2): a second descriptor, owned by the caller, of the file <paramref name="file"/> has
    /// open. The two share one file offset (<see cref="Rewind"/>).
    /// </summary>
    public static FileDescriptor Duplicate(SafeHandle file, string pathForErrors)
    {
        int fd = Syscall.dup((int)file.DangerousGetHandle());
        if (fd < 0)
            PosixError.Throw(PosixError.Last(), "dup", pathForErrors);
        return new FileDescriptor(fd);
    }

    /// <summary>lseek(2) to the start of the file.</summary>
    public static void Rewind(FileDescriptor fd, string pathForErrors)
    {
        if (Syscall.lseek(fd.Number, 0, SeekFlags.SEEK_SET) < 0)
            PosixError.Throw(PosixError.Last(), "lseek", pathForErrors);
    }

    /// <summary>Closes an inherited descriptor that may not be open.</summary>
    public static void CloseQuietly(int fd) => _ = Libc.Close(fd);
}
