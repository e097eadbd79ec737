using System.Runtime.InteropServices;

namespace DovecotRootHelper.Posix;

internal static unsafe partial class Libc
{
    // syslog.h's values are the same on every Linux architecture (a unit test checks x86-64's and arm64's).
    public const int LogPid = 0x01;          // LOG_PID
    public const int LogNoDelay = 0x08;      // LOG_NDELAY
    public const int FacilityMail = 2 << 3;  // LOG_MAIL

    // openlog(3) keeps the ident pointer: the caller keeps it alive for the process.
    [LibraryImport("libc", EntryPoint = "openlog")]
    internal static partial void Openlog(byte* ident, int options, int facility);

    // syslog(3) is variadic; the message always goes through "%s", so a '%' in it (a user name)
    // is never read as a format.
    [LibraryImport("libc", EntryPoint = "syslog")]
    internal static partial void Syslog(int priority, byte* format, byte* message);
}
