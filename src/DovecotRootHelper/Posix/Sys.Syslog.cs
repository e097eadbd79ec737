using System.Runtime.InteropServices;
using System.Text;

namespace DovecotRootHelper.Posix;

public static partial class Sys
{
    private static readonly Lock SyslogOpening = new();
    private static nint _syslogIdent;

    /// <summary>
    /// Connects to syslog as <paramref name="ident"/>[pid], facility mail (openlog(3) with LOG_PID and
    /// LOG_NDELAY). Once per process, whichever thread logs first: the ident must outlive every
    /// message, so it is never freed, and it is published only once openlog has it.
    /// </summary>
    public static unsafe void OpenMailLog(string ident)
    {
        if (Volatile.Read(ref _syslogIdent) != 0)
            return;
        lock (SyslogOpening)
        {
            if (_syslogIdent != 0)
                return;
            nint text = Marshal.StringToCoTaskMemUTF8(ident);
            Libc.Openlog((byte*)text, Libc.LogPid | Libc.LogNoDelay, Libc.FacilityMail);
            Volatile.Write(ref _syslogIdent, text);
        }
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
