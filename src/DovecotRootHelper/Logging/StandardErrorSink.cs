using Serilog.Core;
using Serilog.Events;

namespace DovecotRootHelper.Logging;

/// <summary>Writes warnings and errors as one line each on stderr (<see cref="SystemLog"/>), which Dovecot copies into its log.</summary>
public sealed class StandardErrorSink(string program) : ILogEventSink
{
    public void Emit(LogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        if (logEvent.Level >= LogEventLevel.Warning)
            SystemLog.StandardError(program, logEvent.RenderMessage(System.Globalization.CultureInfo.InvariantCulture));
    }
}
