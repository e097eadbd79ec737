using Serilog;
using Serilog.Events;

namespace DovecotRootHelper.Logging;

/// <summary>
/// Builds the one logger each program uses (the hook's on its first line, a migration's for its
/// journal lines): syslog (facility mail) and, for warnings and errors, stderr.
/// </summary>
public static class HelperLog
{
    public const string Ident = "dovecot-root-helper";

    public static Serilog.Core.Logger Create(string program, bool toStandardError = true)
    {
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(LogEventLevel.Information)
            .WriteTo.Sink(new SyslogSink());
        if (toStandardError)
            configuration = configuration.WriteTo.Sink(new StandardErrorSink(program));
        return configuration.CreateLogger();
    }
}
