using System.Runtime.InteropServices;
using System.Text;

namespace DovecotRootHelper.Posix;

public static partial class Sys
{
    private static unsafe byte* _syslogIdent;

    /// <summary>
    /// Connects to syslog as <paramref name="ident"/>[pid], facility mail (openlog(3) with LOG_PID and
    /// LOG_NDELAY). Once per process: the ident must outlive every message, so it is never freed.
    /// </summary>
    public static unsafe void OpenMailLog(string ident)
    {
        if (_syslogIdent != null)
            return;
        _syslogIdent = (byte*)Marshal.StringToCoTaskMemUTF8(ident);
        Libc.Openlog(_syslogIdent, Libc.LogPid | Libc.LogNoDelay, Libc.FacilityMail);
    }

    /// <summary>One syslog message at <paramref name="severity"/>, facility mail; syslog(3) reports no failure.</summary>
    public static unsafe void WriteMailLog(SyslogSeverity severity, string message)
    {
        byte[] text = new byte[Encoding.UTF8.GetMaxByteCount(message.Length) + 1];
        text[Encoding.UTF8.GetBytes(message, text)] = 0;
        ReadOnlySpan<byte> format = "%s"u8;
        fixed (byte* f = format)
        fixed (byte* m = text)
        {
            Libc.Syslog(Libc.FacilityMail | (int)severity, f, m);
        }
    }
}
