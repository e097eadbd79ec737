using System.Text;
using DovecotRootHelper.Posix;

namespace DovecotRootHelper.Logging;

/// <summary>
/// Where this project's log lines go, without a logging library: syslog (facility mail, one message
/// a line) and, for warnings and errors, one line on stderr, which Dovecot copies into its log. The
/// login hook writes here directly (nothing to set up on a quiet login); imaproot's Serilog logger
/// through <see cref="SyslogSink"/> and <see cref="StandardErrorSink"/>, so both write the same lines.
/// </summary>
public static class SystemLog
{
    /// <summary>One syslog message as <see cref="HelperLog.Ident"/>[pid]; a line break would split it, so it becomes a blank.</summary>
    public static void Syslog(SyslogSeverity severity, string message)
    {
        Sys.OpenMailLog(HelperLog.Ident);
        Sys.WriteMailLog(severity, message.Replace('\n', ' '));
    }

    /// <summary>"<paramref name="program"/>: <paramref name="message"/>" as one line on stderr; nothing if stderr is gone (syslog has the line).</summary>
    public static void StandardError(string program, string message)
    {
        byte[] line = Encoding.UTF8.GetBytes($"{program}: {message.Replace('\n', ' ')}\n");
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
