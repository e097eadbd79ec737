using DovecotRootHelper.Logging;

namespace DovecotRootHelper.LoginHook;

/// <summary>
/// The hook's log lines: errors to syslog and stderr (Dovecot's log), notes to syslog only.
/// The logger is built only when a line is written, so a quiet login pays nothing for it.
/// </summary>
internal static class HookLog
{
    public const string Program = "dovecot-root-helper";

    public static void Error(string message) => Write(message, error: true);

    public static void Note(string message) => Write(message, error: false);

    private static void Write(string message, bool error)
    {
        using Serilog.Core.Logger log = HelperLog.Create(Program, toStandardError: error);
        if (error)
            log.Error("{Message:l}", message);
        else
            log.Information("{Message:l}", message);
    }
}
