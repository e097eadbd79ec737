using System.Runtime.InteropServices;
using Mono.Unix.Native;
using Serilog.Core;
using Serilog.Events;

namespace DovecotRootHelper.Logging;

/// <summary>
/// A Serilog sink that writes through the C library's syslog(3) (Serilog.Sinks.Syslog is not
/// available to this project). One log event is one syslog message.
/// </summary>
public sealed class SyslogSink : ILogEventSink, IDisposable
{
    // openlog(3) keeps the ident pointer, so it must outlive every syslog call.
    private readonly IntPtr _ident;
    private readonly SyslogFacility _facility;

    public SyslogSink(string ident, SyslogFacility facility = SyslogFacility.LOG_MAIL)
    {
        _ident = Marshal.StringToCoTaskMemUTF8(ident);
        _facility = facility;
        Syscall.openlog(_ident, SyslogOptions.LOG_PID | SyslogOptions.LOG_NDELAY, facility);
    }

    public void Emit(LogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        string message = logEvent.RenderMessage(System.Globalization.CultureInfo.InvariantCulture);
        if (logEvent.Exception is not null)
            message += ": " + logEvent.Exception.Message;
        // Mono.Posix passes the text as "%s", so a '%' in a user name cannot act as a format.
        Syscall.syslog(_facility, LevelOf(logEvent.Level), message.Replace('\n', ' '));
    }

    public void Dispose()
    {
        _ = Syscall.closelog();
        Marshal.FreeCoTaskMem(_ident);
    }

    internal static SyslogLevel LevelOf(LogEventLevel level) => level switch
    {
        LogEventLevel.Verbose or LogEventLevel.Debug => SyslogLevel.LOG_DEBUG,
        LogEventLevel.Information => SyslogLevel.LOG_INFO,
        LogEventLevel.Warning => SyslogLevel.LOG_WARNING,
        LogEventLevel.Error => SyslogLevel.LOG_ERR,
        _ => SyslogLevel.LOG_CRIT,
    };
}
