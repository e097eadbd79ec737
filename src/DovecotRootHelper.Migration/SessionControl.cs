using System.Diagnostics;
using DovecotRootHelper.Configuration;

namespace DovecotRootHelper.Migration;

/// <summary>
/// The configured doveadm commands (<see cref="ConfiguredCommand"/>s, each killed after
/// kick-timeout): kick the user's sessions, wait until none is left, flush the auth cache. Closing
/// fails closed: a kick or a who that cannot start, exits non-zero, hangs or prints what is not a
/// session line means the sessions may still be open, and moving an mbox a live session holds open is what the kick prevents.
/// Only an empty <c>who</c> (no Dovecot to ask) skips the kick and the check. With
/// <c>[migration] doveadm-servers</c> set, kick, who and flush go to each of those servers over the
/// doveadm protocol instead (<see cref="RemoteDoveadm"/>), failing closed the same way.
/// </summary>
public sealed class SessionControl(MigrationSettings settings, string user)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// doveadm's exit status for "no such user" (sysexits' EX_NOUSER): Dovecot 2.3's kick exits with it
    /// when the user had no session to kick (2.4's exits 0). Nothing to close is not a failure; who
    /// still has to show no session.
    /// </summary>
    private const int KickFoundNoSession = 68;

    private readonly ConfiguredCommand _kick = Command(settings.KickCommand, settings);
    private readonly ConfiguredCommand _who = Command(settings.WhoCommand, settings);
    private readonly ConfiguredCommand _flush = Command(settings.FlushCommand, settings);
    private readonly RemoteDoveadm? _remote = Remote(settings);

    public List<string> Messages { get; } = [];

    /// <summary>True when the config names no <c>who</c> command: there is no Dovecot to ask.</summary>
    public static bool NoDovecot(MigrationSettings settings) => string.IsNullOrWhiteSpace(settings.WhoCommand) && settings.DoveadmServers.Count == 0;

    /// <summary>What a migration will do about the user's sessions, in one line for <c>imaproot plan</c>.</summary>
    public static string Describe(MigrationSettings settings, string user) => NoDovecot(settings)
        ? "sessions: not checked ([migration] who is empty: no Dovecot to ask)"
        : Remote(settings) is { } remote
        ? $"sessions: kicked over the doveadm protocol on {remote.Names}, then who on each must list none; if a server does not answer, refuses the password or fails, the migration is refused"
        : $"sessions: kicked with '{Command(settings.KickCommand, settings).Shown(user)}', then '{Command(settings.WhoCommand, settings).Shown(user)}' must list none; if either fails or hangs, the migration is refused";

    /// <summary>A kick, who or flush command, killed after kick-timeout (at least one second).</summary>
    private static ConfiguredCommand Command(string template, MigrationSettings settings) => new(template, Timeout(settings));

    /// <summary>The servers kick, who and flush go to over the doveadm protocol, or null: the commands are run.</summary>
    private static RemoteDoveadm? Remote(MigrationSettings settings) => RemoteDoveadm.For(settings, Timeout(settings));

    private static TimeSpan Timeout(MigrationSettings settings) => settings.KickTimeout < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : settings.KickTimeout;

    /// <summary>Kicks the user and waits until who lists no session; null when closed, else why not (one line).</summary>
    public string? CloseSessions() => Kick() ?? WaitUntilClosed();

    /// <summary>
    /// Kicks the user's sessions without waiting for them to end (a batch kicks every user first,
    /// then waits for each); null when kicked or nothing to kick, else why not.
    /// </summary>
    public string? Kick()
    {
        if (NoDovecot(settings))
            return null;
        if (_remote is not null)
            return _remote.Kick(user);
        CommandRun kick = _kick.Run(user);
        return kick.Outcome == CommandOutcome.Exited && kick.ExitCode == KickFoundNoSession ? null : kick.Failure();
    }

    /// <summary>Waits until who lists no session of the user; null when none is left, else why not.</summary>
    public string? WaitUntilClosed()
    {
        if (NoDovecot(settings))
        {
            Messages.Add("sessions not checked: [migration] who is empty (no Dovecot to ask)");
            return null;
        }
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_remote is not null)
            {
                (int count, string? first) = _remote.Sessions(user, out string? failure);
                if (failure is not null)
                    return failure;
                if (count == 0)
                    return null;
                if (clock.Elapsed >= settings.KickTimeout)
                    return $"{count} session(s) still open after {settings.KickTimeout.TotalSeconds:0} s: {first}";
                Thread.Sleep(PollInterval);
                continue;
            }
            CommandRun who = _who.Run(user);
            if (who.Failure() is { } whoFailed)
                return whoFailed;
            WhoOutput parsed = WhoOutput.Parse(who.Output);
            if (parsed.Unexpected is { } line)
                return $"'{who.Command}' printed a line that is not doveadm's flow format (configure who as 'doveadm -f flow who -1 %u'): {line}";
            IReadOnlyList<string> sessions = parsed.Sessions;
            if (sessions.Count == 0)
                return null;
            if (clock.Elapsed >= settings.KickTimeout)
                return $"{sessions.Count} session(s) still open after {settings.KickTimeout.TotalSeconds:0} s: {sessions[0]}";
            Thread.Sleep(PollInterval);
        }
    }

    /// <summary>Flushes Dovecot's auth cache; a failure is a message, not an error (the state file is already right).</summary>
    public void FlushCache()
    {
        if (_remote is not null)
        {
            Messages.AddRange(_remote.Flush(user));
            return;
        }
        if (_flush.Run(user).Failure() is { } failed)
            Messages.Add(failed);
    }
}
