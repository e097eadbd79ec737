using DovecotRootHelper.Logging;
using DovecotRootHelper.State;
using Serilog.Events;

namespace DovecotRootHelper.LoginHook;

/// <summary>
/// The hook's log lines: errors and refusals to syslog and stderr (Dovecot's log), notes to syslog only.
/// The logger is built when the first line is written, so a quiet login pays nothing for it.
/// </summary>
internal static class HookLog
{
    public const string Program = "dovecot-root-helper";

    public static void Error(string message) => Write(message, LogEventLevel.Error);

    /// <summary>A login refused on purpose (the user is being migrated): not an error, but worth a line in Dovecot's log.</summary>
    public static void Refusal(string message) => Write(message, LogEventLevel.Warning);

    /// <summary>One line per decision where [log] decisions = yes.</summary>
    public static void Decision(DovecotRootHelper.Configuration.LoginSettings config, DovecotRootHelper.Decision.RootDecision decision)
    {
        if (config.LogDecisions)
            Note($"user {decision.User}: {decision.State.ToName()} root {decision.Location?.Path ?? "Dovecot's own"} ({decision.Why})");
    }

    public static void Note(string message) => Write(message, LogEventLevel.Information);

    // Built on the first line and kept for the process (the post-login service writes many lines):
    // everything to syslog, warnings and errors to stderr as well.
    private static Serilog.Core.Logger? _log;

    private static void Write(string message, LogEventLevel level)
    {
        Serilog.Core.Logger log = LazyInitializer.EnsureInitialized(ref _log, () => HelperLog.Create(Program));
        log.Write(level, "{Message:l}", message);
    }
}
