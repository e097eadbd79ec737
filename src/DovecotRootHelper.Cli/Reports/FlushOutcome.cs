using DovecotRootHelper.Migration;

namespace DovecotRootHelper.Cli.Reports;

/// <summary>How the auth cache flush went: its exit code, or why it could not run (a warning, not a failure).</summary>
internal sealed record FlushOutcome(string Command, int? ExitCode, string? Warning)
{
    /// <summary>
    /// Runs <c>[migration] flush</c> for <paramref name="user"/>, killed after 30 s. Dovecot not
    /// running or doveadm missing is normal on some hosts, so a failure is a warning, never an
    /// exception; an empty template (flush = : no auth cache) is neither.
    /// </summary>
    public static FlushOutcome Flush(string template, string user)
    {
        CommandRun run = new ConfiguredCommand(template, TimeSpan.FromSeconds(30)).Run(user);
        return new FlushOutcome(run.Command, run.Outcome == CommandOutcome.Exited ? run.ExitCode : null, run.Failure(FailureWording.Warning));
    }
}
