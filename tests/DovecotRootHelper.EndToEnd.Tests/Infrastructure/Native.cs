using System.Runtime.InteropServices;

namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>The two libc calls the tests need to hand mail files to a test user.</summary>
internal static partial class Native
{
    public static bool IsRoot => GetEffectiveUid() == 0;

    public static void ChangeOwner(string path, int uid)
    {
        if (LChown(path, (uint)uid, (uint)uid) != 0)
            throw new IOException($"{path}: lchown to {uid}: errno {Marshal.GetLastPInvokeError()}");
    }

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUid();

    [LibraryImport("libc", EntryPoint = "lchown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LChown(string path, uint owner, uint group);
}
