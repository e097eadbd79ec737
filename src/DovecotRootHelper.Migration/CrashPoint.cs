using DovecotRootHelper.Posix;
namespace DovecotRootHelper.Migration;

/// <summary>
/// Test-only crash injection. When the environment variable DOVECOT_ROOT_HELPER_CRASH_AT names a
/// point the library reaches, it sends SIGKILL to its own process there, so crash tests can kill
/// the real process at every instant that matters and then run resume. Points: a journal step
/// index N (killed right after step N's rename or mkdir, before its record is appended, so resume
/// must notice the step is already in place), or a phase: after-migrating (state set, nothing
/// else), after-journal (plan written, nothing moved), after-verify, after-migrated (state set to
/// migrated, journal not yet complete), rollback-N (right after undoing step N), and the usage
/// scan's usage-in-commit-N (a batch written, its transaction not committed) and
/// usage-after-commit-N (committed), N counting the scan's commits from 0. Unset in
/// production: the check is one environment read per point.
/// </summary>
internal static class CrashPoint
{
    public const string Variable = "DOVECOT_ROOT_HELPER_CRASH_AT";

    public static void Reached(string point)
    {
        if (Environment.GetEnvironmentVariable(Variable) == point)
            Sys.KillSelf();
    }

    public static void ReachedStep(int index) => Reached(index.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
