using DovecotRootHelper.Cli.Reports;
using DovecotRootHelper.Migration;

namespace DovecotRootHelper.Cli;

/// <summary>
/// Runs one of the configured Dovecot commands for <c>set</c> and <c>check</c>. Dovecot not running
/// or doveadm missing is normal on some hosts, so a failure is a warning for the caller to print,
/// never an exception.
/// </summary>
internal static class DovecotCommand
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>The command for <paramref name="user"/>, killed after 30 s.</summary>
    public static DoveadmRun Run(string template, string user) => DoveadmCommand.Run(template, user, Timeout);

    /// <summary>An auth cache flush and its outcome.</summary>
    public static FlushOutcome Flush(string template, string user)
    {
        DoveadmRun run = Run(template, user);
        return new FlushOutcome(run.Command, run.Outcome == DoveadmOutcome.Exited ? run.ExitCode : null, Failure(run));
    }

    /// <summary>Why the command did not succeed, in one line; null when it exited 0 or none is configured (flush = : no auth cache).</summary>
    public static string? Failure(DoveadmRun run) => run.Failure(Timeout);
}
