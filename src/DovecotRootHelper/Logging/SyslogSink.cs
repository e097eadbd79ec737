using DovecotRootHelper.Posix;
using Serilog.Core;
using Serilog.Events;

namespace DovecotRootHelper.Logging;

/// <summary>
/// A Serilog sink that writes through the C library's syslog(3) (<see cref="SystemLog"/>; Serilog.Sinks.Syslog is
/// not available to this project). One log event is one syslog message.
/// </summary>
public sealed class SyslogSink : ILogEventSink
{
    public void Emit(LogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        string message = logEvent.RenderMessage(System.Globalization.CultureInfo.InvariantCulture);
        if (logEvent.Exception is not null)
            message += ": " + logEvent.Exception.Message;
        SystemLog.Syslog(LevelOf(logEvent.Level), message);
    }

    internal static SyslogSeverity LevelOf(LogEventLevel level) => level switch
    {
        LogEventLevel.Verbose or LogEventLevel.Debug => SyslogSeverity.Debug,
        LogEventLevel.Information => SyslogSeverity.Information,
        LogEventLevel.Warning => SyslogSeverity.Warning,
        LogEventLevel.Error => SyslogSeverity.Error,
        _ => SyslogSeverity.Critical,
    };
}
