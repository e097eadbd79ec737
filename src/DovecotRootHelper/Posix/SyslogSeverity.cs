namespace DovecotRootHelper.Posix;

/// <summary>The syslog(3) levels this project logs at.</summary>
public enum SyslogSeverity
{
    Debug,
    Info,
    Warning,
    Error,
    Critical,
}
