using DovecotRootHelper.Logging;
using DovecotRootHelper.State;

namespace DovecotRootHelper.LoginHook;

/// <summary>
/// The hook's log lines: errors and refusals to syslog and stderr (Dovecot's log), notes to syslog only.
/// The logger is built only when a line is written, so a quiet login pays nothing for it.
/// </summary>
internal static class HookLog
{
    public const string Program = "dovecot-root-helper";

    public static void Error(string message) => Write(message, Serilog.Events.LogEventLevel.Error);

    /// <summary>A login refused on purpose (the user is being migrated): not an error, but worth a line in Dovecot's log.</summary>
    public static void Refusal(string message) => Write(message, Serilog.Events.LogEventLevel.Warning);

    /// <summary>One line per decision where [log] decisions = yes.</summary>
    public static void Decision(DovecotRootHelper.Configuration.HelperConfig config, DovecotRootHelper.Decision.RootDecision decision)
    {
        if (config.LogDecisions)
            Note($"user {decision.User}: {decision.State.ToName()} root {decision.Location?.Path} ({decision.Why})");
    }

    public static void Note(string message) => Write(message, Serilog.Events.LogEventLevel.Information);

    private static void Write(string message, Serilog.Events.LogEventLevel level)
    {
        using Serilog.Core.Logger log = HelperLog.Create(Program, toStandardError: level >= Serilog.Events.LogEventLevel.Warning);
        log.Write(level, "{Message:l}", message);
    }
}
