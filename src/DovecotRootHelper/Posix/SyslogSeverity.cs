namespace DovecotRootHelper.Posix;

/// <summary>The syslog(3) levels this project writes at (syslog.h: the same on every Linux architecture).</summary>
public enum SyslogSeverity
{
    Critical = 2,     // LOG_CRIT
    Error = 3,        // LOG_ERR
    Warning = 4,      // LOG_WARNING
    Information = 6,  // LOG_INFO
    Debug = 7,        // LOG_DEBUG
}
