using DovecotRootHelper.Configuration;
using DovecotRootHelper.Decision;
using DovecotRootHelper.Logging;
using DovecotRootHelper.Posix;
using DovecotRootHelper.State;

namespace DovecotRootHelper.LoginHook;

/// <summary>
/// The hook's log lines: errors and refusals to syslog and stderr (Dovecot's log), notes to syslog
/// only. Written straight through <see cref="SystemLog"/>, not a logging library: a quiet login
/// sets nothing up, and the binary carries no logger it would have to relocate at every start
/// (docs/performance.md, "Start-up, side by side").
/// </summary>
internal static class HookLog
{
    public const string Program = "dovecot-root-helper";

    public static void Error(string message) => Write(message, SyslogSeverity.Error);

    /// <summary>A login refused on purpose (the user is being migrated): not an error, but worth a line in Dovecot's log.</summary>
    public static void Refusal(string message) => Write(message, SyslogSeverity.Warning);

    /// <summary>One line per decision where [log] decisions = yes.</summary>
    public static void Decision(LoginSettings config, RootDecision decision)
    {
        if (config.LogDecisions)
            Note($"user {decision.User}: {decision.State.ToName()} root {decision.Location?.Path ?? "Dovecot's own"} ({decision.Why})");
    }

    public static void Note(string message) => Write(message, SyslogSeverity.Information);

    // Everything to syslog, warnings and errors to stderr as well.
    private static void Write(string message, SyslogSeverity severity)
    {
        SystemLog.Syslog(severity, message);
        if (severity <= SyslogSeverity.Warning)
            SystemLog.StandardError(Program, message);
    }
}
