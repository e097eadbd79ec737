using System.Runtime.InteropServices;
using Mono.Unix.Native;

namespace DovecotRootHelper.Posix;

public static partial class Sys
{
    // Enough for any passwd line seen in practice; an NSS source that needs more says ERANGE and
    // gets twice as much, up to a limit that stops a broken source from taking all memory.
    private const int AccountBufferStart = 1024;
    private const int AccountBufferLimit = 1 << 20;

    /// <summary>
    /// getpwnam_r(3) with POSIX's reading of its answer: 0 and no entry is "no such account"
    /// (null); any error number, ENOENT and ESRCH included, is a lookup that failed
    /// (<see cref="AccountLookupException"/>). glibc reports an account every source said it does
    /// not have as 0 and no entry; it returns an errno only when a source could not answer (an
    /// LDAP server down, sssd not running: ENOENT from its client), which is an outage, not an
    /// answer. Dovecot's own passwd userdb reads it the same way (lib/ipwd.c), besides calling
    /// FreeBSD's EINVAL "not found".
    /// </summary>
    public static unsafe UnixAccount? FindAccount(string name)
    {
        int length = AccountBufferStart;
        while (true)
        {
            byte[] buffer = new byte[length];
            Libc.PasswdEntry entry;
            Libc.PasswdEntry* result = null;
            int error;
            fixed (byte* bytes = buffer)
            {
                error = Libc.GetpwnamR(name, &entry, bytes, (nuint)length, &result);
                if (error == 0)
                    return result is null ? null : new UnixAccount(
                        Utf8(result->Name), result->Uid, result->Gid, Utf8(result->Directory));
            }
            if (error == (int)Errno.EINTR)
                continue;
            if (error == (int)Errno.ERANGE && length < AccountBufferLimit)
            {
                length *= 2;
                continue;
            }
            throw new AccountLookupException(name, (Errno)error);
        }
    }

    private static unsafe string Utf8(byte* text) => Marshal.PtrToStringUTF8((nint)text) ?? "";
}
