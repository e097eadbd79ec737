using System.Runtime.InteropServices;

namespace DovecotRootHelper.Posix;

internal static unsafe partial class Libc
{
    // Directly rather than through Mono.Posix, whose getpwnam_r reports "no such account" as
    // ENOENT, the very errno an unavailable NSS source (sssd without its socket) hands back: the
    // one distinction this call is made for would be lost. getpwnam_r returns the error number
    // itself and leaves errno alone, so no SetLastError.
    [LibraryImport("libc", EntryPoint = "getpwnam_r", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int GetpwnamR(string name, PasswdEntry* entry, byte* buffer, nuint length, PasswdEntry** result);

    /// <summary>struct passwd: the same on every Linux architecture (uid_t and gid_t are 32 bits; a unit test checks the offsets on x86-64 and arm64).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct PasswdEntry
    {
        public byte* Name;
        public byte* Password;
        public uint Uid;
        public uint Gid;
        public byte* Gecos;
        public byte* Directory;
        public byte* Shell;
    }
}
