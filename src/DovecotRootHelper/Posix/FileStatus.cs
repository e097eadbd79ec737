namespace DovecotRootHelper.Posix;

/// <summary>The parts of struct stat this project decides on.</summary>
public readonly record struct FileStatus(
    ulong Device, ulong Inode, uint Mode, uint Uid, uint Gid, long Size, long MtimeSeconds, long MtimeNanoseconds,
    long CtimeSeconds = 0, long CtimeNanoseconds = 0)
{
    public const uint TypeMask = 0xF000;
    public const uint RegularFile = 0x8000;
    public const uint Directory = 0x4000;
    public const uint SymbolicLink = 0xA000;
    public const uint Fifo = 0x1000;
    public const uint Socket = 0xC000;

    public bool IsRegularFile => (Mode & TypeMask) == RegularFile;
    public bool IsDirectory => (Mode & TypeMask) == Directory;
    public bool IsSymbolicLink => (Mode & TypeMask) == SymbolicLink;
    public bool IsFifo => (Mode & TypeMask) == Fifo;
    public bool IsSocket => (Mode & TypeMask) == Socket;
    public uint Permissions => Mode & FileModes.AllPermissions;
    public bool IsWritableByGroupOrOthers => (Mode & FileModes.GroupOrOthersWrite) != 0;
}
