using DovecotRootHelper.Cli.Reports;
using DovecotRootHelper.Migration;

namespace DovecotRootHelper.Cli;

/// <summary>
/// Runs one of the configured doveadm commands for <c>set</c>. Dovecot not running or doveadm
/// missing is normal on some hosts, so a failure is a warning for the caller to print, never an
/// exception.
/// </summary>
internal static class DovecotCommand
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static FlushOutcome Run(string template, string user)
    {
        DoveadmRun run = DoveadmCommand.Run(template, user, Timeout);
        string shown = run.Command;
        return run.Outcome switch
        {
            // flush = (empty): the site has no auth cache to flush; nothing to warn about.
            DoveadmOutcome.NotConfigured => new FlushOutcome(shown, null, null),
            DoveadmOutcome.NotStarted => new FlushOutcome(shown, null, $"cannot run '{shown}': {run.StartError}"),
            DoveadmOutcome.TimedOut => new FlushOutcome(shown, null, $"'{shown}' did not finish in {Timeout.TotalSeconds:0} s; killed"),
            _ when run.ExitCode == 0 => new FlushOutcome(shown, 0, null),
            _ => new FlushOutcome(shown, run.ExitCode, $"'{shown}' exited {run.ExitCode}: {FirstLine(run.Error) ?? FirstLine(run.Output) ?? "no output"}"),
        };
    }

    private static string? FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
}
