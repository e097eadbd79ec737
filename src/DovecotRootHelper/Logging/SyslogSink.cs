using System.Runtime.InteropServices;
using DovecotRootHelper.Posix;
using Serilog.Core;
using Serilog.Events;

namespace DovecotRootHelper.Logging;

/// <summary>
/// A Serilog sink that writes through the C library's syslog(3), to the mail facility
/// (Serilog.Sinks.Syslog is not available to this project). One log event is one syslog message.
/// </summary>
public sealed class SyslogSink : ILogEventSink, IDisposable
{
    // openlog(3) keeps the ident pointer, so it must outlive every syslog call.
    private readonly IntPtr _ident;

    public SyslogSink(string ident)
    {
        _ident = Marshal.StringToCoTaskMemUTF8(ident);
        Sys.OpenMailLog(_ident);
    }

    public void Emit(LogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        string message = logEvent.RenderMessage(System.Globalization.CultureInfo.InvariantCulture);
        if (logEvent.Exception is not null)
            message += ": " + logEvent.Exception.Message;
        Sys.Syslog(SeverityOf(logEvent.Level), message.Replace('\n', ' '));
    }

    public void Dispose()
    {
        Sys.CloseLog();
        Marshal.FreeCoTaskMem(_ident);
    }

    internal static SyslogSeverity SeverityOf(LogEventLevel level) => level switch
    {
        LogEventLevel.Verbose or LogEventLevel.Debug => SyslogSeverity.Debug,
        LogEventLevel.Information => SyslogSeverity.Info,
        LogEventLevel.Warning => SyslogSeverity.Warning,
        LogEventLevel.Error => SyslogSeverity.Error,
        _ => SyslogSeverity.Critical,
    };
}
