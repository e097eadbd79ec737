namespace DovecotRootHelper.Posix;

/// <summary>Permission bits, written in binary by groups of three so that they read like the octal modes they are.</summary>
public static class FileModes
{
    /// <summary>0600: the owner reads and writes, nobody else anything.</summary>
    public const uint UserReadWrite = 0b110_000_000;

    /// <summary>0700: a directory only its owner may enter.</summary>
    public const uint UserAll = 0b111_000_000;

    /// <summary>0644: the owner writes, everyone reads.</summary>
    public const uint UserReadWriteOthersRead = 0b110_100_100;

    /// <summary>0755.</summary>
    public const uint UserAllOthersReadExecute = 0b111_101_101;

    /// <summary>0022: write permission for the group or others.</summary>
    public const uint GroupOrOthersWrite = 0b000_010_010;

    /// <summary>07777: the permission bits with set-user-ID, set-group-ID and sticky, without the file type.</summary>
    public const uint AllPermissions = 0b111_111_111_111;
}
