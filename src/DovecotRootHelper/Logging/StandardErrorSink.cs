using System.Text;
using DovecotRootHelper.Posix;
using Serilog.Core;
using Serilog.Events;

namespace DovecotRootHelper.Logging;

/// <summary>Writes warnings and errors as one line each on stderr, which Dovecot copies into its log.</summary>
public sealed class StandardErrorSink(string program) : ILogEventSink
{
    public void Emit(LogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        if (logEvent.Level < LogEventLevel.Warning)
            return;
        string message = logEvent.RenderMessage(System.Globalization.CultureInfo.InvariantCulture).Replace('\n', ' ');
        byte[] line = Encoding.UTF8.GetBytes($"{program}: {message}\n");
        try
        {
            Sys.WriteAll(Sys.StandardError, line, "stderr");
        }
        catch (IOException)
        {
            // Nowhere left to report to; syslog has the line.
        }
    }
}
