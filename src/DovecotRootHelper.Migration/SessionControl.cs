using System.Diagnostics;
using DovecotRootHelper.Configuration;

namespace DovecotRootHelper.Migration;

/// <summary>
/// The configured doveadm commands: kick the user's sessions, wait until none is left, flush the
/// auth cache. Each command is split on blanks with %u replaced by the user and run without a
/// shell. A missing program or a failing who (Dovecot not running) means there are no sessions.
/// </summary>
internal sealed class SessionControl(MigrationSettings settings, string user)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    public List<string> Messages { get; } = [];

    /// <summary>Kicks the user and waits; false when sessions remain after the timeout.</summary>
    public bool CloseSessions()
    {
        _ = Run(settings.KickCommand, out _);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            int? exit = Run(settings.WhoCommand, out string output);
            string[] sessions = SessionLines(output);
            if (exit != 0 || sessions.Length == 0)
                return true;
            if (clock.Elapsed >= settings.KickTimeout)
            {
                Messages.Add($"sessions still open after {settings.KickTimeout.TotalSeconds:0} s: {sessions[0]}");
                return false;
            }
            Thread.Sleep(PollInterval);
        }
    }

    /// <summary>
    /// The session lines of the who command's output. doveadm who prints its table header
    /// ("username proto pid ip") even when no session is left (seen with 2.3.19, exit 0), so a
    /// header line is not a session.
    /// </summary>
    internal static string[] SessionLines(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => !IsTableHeader(line))
            .ToArray();

    private static bool IsTableHeader(string line)
    {
        string[] words = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        return words.Length > 1 && words[0] == "username" && words[1] is "proto" or "#";
    }

    public void FlushCache()
    {
        int? exit = Run(settings.FlushCommand, out _);
        if (exit is not null and not 0)
            Messages.Add($"'{settings.FlushCommand}' exited with {exit}");
    }

    /// <summary>The exit code, or null when the program cannot be started.</summary>
    private int? Run(string template, out string output)
    {
        DoveadmRun run = DoveadmCommand.Run(template, user);
        output = run.Output;
        if (run.Outcome == DoveadmOutcome.NotStarted)
        {
            Messages.Add($"'{run.Program}' could not be started ({run.StartError}); taken as no Dovecot running");
            return null;
        }
        return run.ExitCode;
    }
}
