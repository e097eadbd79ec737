using System.Reflection;
using System.Runtime.InteropServices;
using SQLitePCL;

namespace DovecotRootHelper.Usage.Store;

/// <summary>
/// Binds Microsoft.Data.Sqlite to the system's SQLite (Debian's libsqlite3-0): SQLitePCLRaw's
/// "sqlite3" provider asks for a library named sqlite3, which the loader would look for as
/// libsqlite3.so, a file only the -dev package installs; this resolver loads the runtime's
/// libsqlite3.so.0 instead. Works under native AOT (the provider's imports are resolved lazily).
/// </summary>
internal static class SystemSqlite
{
    public const string LibraryName = "libsqlite3.so.0";

    private static readonly Lock Gate = new();
    private static bool _ready;

    public static void Initialize()
    {
        lock (Gate)
        {
            if (_ready)
                return;
            NativeLibrary.SetDllImportResolver(typeof(SQLite3Provider_sqlite3).Assembly, Resolve);
            raw.SetProvider(new SQLite3Provider_sqlite3());
            _ready = true;
        }
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != "sqlite3")
            return IntPtr.Zero;
        if (NativeLibrary.TryLoad(LibraryName, out IntPtr handle))
            return handle;
        throw new DllNotFoundException($"{LibraryName} (the system's SQLite, Debian package libsqlite3-0) could not be loaded: imaproot's usage commands need it");
    }
}
