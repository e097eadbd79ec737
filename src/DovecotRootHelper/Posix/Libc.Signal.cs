using System.Runtime.InteropServices;

namespace DovecotRootHelper.Posix;

internal static unsafe partial class Libc
{
    // The same on every Linux architecture the project ships for (a unit test checks x86-64's and
    // arm64's signal.h).
    public const int SignalInterrupt = 2;   // SIGINT
    public const int SignalTerminate = 15;  // SIGTERM

    // SIG_DFL is the null handler in glibc on every architecture; SIG_ERR is -1.
    public const nint DefaultAction = 0;
    public const nint SignalError = -1;

    // glibc's signal(2) (BSD semantics, as Mono.Posix's Stdlib.SetSignalAction called it): enough
    // to put a disposition back to SIG_DFL; handlers are the runtime's (PosixSignalRegistration).
    [LibraryImport("libc", EntryPoint = "signal", SetLastError = true)]
    internal static partial nint Signal(int signal, nint handler);
}
