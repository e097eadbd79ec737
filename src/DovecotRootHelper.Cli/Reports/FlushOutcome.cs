using DovecotRootHelper.Configuration;
using DovecotRootHelper.Migration;

namespace DovecotRootHelper.Cli.Reports;

/// <summary>How the auth cache flush went: its exit code, or why it could not run (a warning, not a failure).</summary>
internal sealed record FlushOutcome(string Command, int? ExitCode, string? Warning)
{
    /// <summary>
    /// Runs <c>[migration] flush</c> for <paramref name="user"/>, killed after 30 s, or, with
    /// <c>doveadm-servers</c> set, flushes on each of those servers over the doveadm protocol. Dovecot
    /// not running or doveadm missing is normal on some hosts, so a failure is a warning, never an
    /// exception; an empty template (flush = : no auth cache) is neither.
    /// </summary>
    public static FlushOutcome Flush(MigrationSettings settings, string user)
    {
        if (RemoteDoveadm.For(settings, TimeSpan.FromSeconds(30)) is { } remote)
        {
            List<string> warnings = remote.Flush(user);
            return new FlushOutcome($"auth cache flush {user} on {remote.Names}", null, warnings.Count == 0 ? null : string.Join("; ", warnings));
        }
        CommandRun run = new ConfiguredCommand(settings.FlushCommand, TimeSpan.FromSeconds(30)).Run(user);
        return new FlushOutcome(run.Command, run.Outcome == CommandOutcome.Exited ? run.ExitCode : null, run.Failure(FailureWording.Warning));
    }
}
