using Mono.Unix.Native;

namespace DovecotRootHelper.Posix;

public static partial class Sys
{
    /// <summary>
    /// openlog(3) for the mail facility, the pid in every message, connected now. openlog keeps the
    /// <paramref name="ident"/> pointer: it must stay allocated until <see cref="CloseLog"/>.
    /// </summary>
    public static void OpenMailLog(IntPtr ident) =>
        Syscall.openlog(ident, SyslogOptions.LOG_PID | SyslogOptions.LOG_NDELAY, SyslogFacility.LOG_MAIL);

    /// <summary>syslog(3) of one message to the mail facility. Mono.Posix passes the text as "%s", so a '%' in it cannot act as a format.</summary>
    public static void Syslog(SyslogSeverity severity, string message) =>
        Syscall.syslog(SyslogFacility.LOG_MAIL, severity switch
        {
            SyslogSeverity.Debug => SyslogLevel.LOG_DEBUG,
            SyslogSeverity.Info => SyslogLevel.LOG_INFO,
            SyslogSeverity.Warning => SyslogLevel.LOG_WARNING,
            SyslogSeverity.Error => SyslogLevel.LOG_ERR,
            _ => SyslogLevel.LOG_CRIT,
        }, message);

    /// <summary>closelog(3).</summary>
    public static void CloseLog() => _ = Syscall.closelog();
}
