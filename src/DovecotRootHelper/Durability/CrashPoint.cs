using System.Diagnostics;
#if CRASH_POINTS
using DovecotRootHelper.Posix;
#endif

namespace DovecotRootHelper.Durability;

/// <summary>
/// Test-only crash injection, compiled only into the crash-test build (<c>-p:CrashPoints=true</c>,
/// which defines CRASH_POINTS: <c>./build.sh publish</c> makes it as artifacts/imaproot-crash).
/// There, when the environment variable DOVECOT_ROOT_HELPER_CRASH_AT names a point the library
/// reaches, it sends SIGKILL to its own process, so crash tests can kill the real process at every
/// instant that matters and then run resume. Points: a journal step index N (killed right after
/// step N's rename or mkdir, before its record is appended, so resume must notice the step is
/// already in place), or a phase: after-migrating (state set, nothing else), after-journal (plan
/// written, nothing moved), after-verify, after-migrated (state set to migrated, journal not yet
/// complete), rollback-N (right after undoing step N), and the usage scan's usage-in-commit-N (a
/// batch written, its transaction not committed) and usage-after-commit-N (committed), N counting
/// the scan's commits from 0. In every other build the calls are removed where they are made
/// ([Conditional]) and the variable's name is not in the binary: a root-run released program has
/// no way to be killed by its environment.
/// </summary>
public static class CrashPoint
{
    [Conditional("CRASH_POINTS")]
    public static void Reached(string point)
    {
#if CRASH_POINTS
        if (Environment.GetEnvironmentVariable("DOVECOT_ROOT_HELPER_CRASH_AT") == point)
            Sys.KillSelf();
#else
        _ = point;
#endif
    }

    [Conditional("CRASH_POINTS")]
    public static void ReachedStep(int index) => Reached(index.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
