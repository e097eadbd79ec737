namespace DovecotRootHelper.Posix;

public static partial class Sys
{
    /// <summary>
    /// Puts SIGINT and SIGTERM back to their default disposition. .NET leaves a signal that was
    /// ignored when the process started ignored, even once a handler is registered
    /// (<see cref="System.Runtime.InteropServices.PosixSignalRegistration"/>), so that programs it
    /// execs keep ignoring it; a process that must hear them takes them back first.
    /// </summary>
    public static void RestoreDefaultInterruptAndTerminate()
    {
        foreach (int signal in (ReadOnlySpan<int>)[Libc.SignalInterrupt, Libc.SignalTerminate])
        {
            if (Libc.Signal(signal, Libc.DefaultAction) == Libc.SignalError)
                PosixError.Throw(PosixError.Last(), "signal", signal == Libc.SignalInterrupt ? "SIGINT" : "SIGTERM");
        }
    }
}
