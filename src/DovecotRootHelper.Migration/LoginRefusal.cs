using DovecotRootHelper.Configuration;
using DovecotRootHelper.Durability;
using DovecotRootHelper.Posix;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Migration;

/// <summary>
/// The first phase that touches anything: users set migrating (the hook refuses their logins from
/// then on), their sessions kicked, every one before any is waited for, and waited for until none
/// is left. One user or a batch's, the kick and the wait are the same; a user whose sessions cannot
/// be shown closed (see <see cref="SessionControl"/>) gets the failure, nothing having moved.
/// </summary>
internal sealed class LoginRefusal(MigrationSettings settings, UserStates states, IMigrationObserver? observer)
{
    /// <summary>
    /// One user (migrate, resume, rollback). On failure the user gets back the state they had and a
    /// <see cref="MigrationException"/> says which command failed and <paramref name="consequence"/>.
    /// </summary>
    public void Refuse(UnixAccount account, List<string> messages, string consequence)
    {
        string user = account.Name;
        UserState before = states.Current(account);
        observer?.PhaseStarted(user, "refusing logins (state migrating)");
        states.Set(user, UserState.Migrating);
        CrashPoint.Reached("after-migrating");
        observer?.PhaseStarted(user, "closing sessions");
        var sessions = new SessionControl(settings, user);
        Dictionary<string, string> failures = Close([(user, sessions)], batch: false);
        messages.AddRange(sessions.Messages);
        if (!failures.TryGetValue(user, out string? failure))
            return;
        states.Set(user, before);
        throw new MigrationException($"{user}: {failure}; user back to {before.ToName()}, {consequence}");
    }

    /// <summary>A batch's users, set migrating in one state-file write; <see cref="CloseSessions"/> follows.</summary>
    public void Refuse(IReadOnlyList<string> users)
    {
        states.Set([.. users.Select(user => (user, UserState.Migrating))]);
        CrashPoint.Reached("after-migrating");
    }

    /// <summary>
    /// A batch's sessions closed. Returns why, for each user whose sessions could not be shown
    /// closed; the batch puts those back with its second write.
    /// </summary>
    public Dictionary<string, string> CloseSessions(IReadOnlyList<(string User, SessionControl Sessions)> users) => Close(users, batch: true);

    private Dictionary<string, string> Close(IReadOnlyList<(string User, SessionControl Sessions)> users, bool batch)
    {
        var failures = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((string user, SessionControl sessions) in users)
        {
            if (batch)
                observer?.PhaseStarted(user, "refusing logins (state migrating, with the batch)");
            // With Dovecot's auth cache on, a delivery could still be handed the user's cached userdb
            // answer (the all-services setup's root) while the files move: Dovecot forgets it first.
            sessions.FlushCache();
            if (sessions.Kick() is { } kickFailed)
                failures[user] = kickFailed;
        }
        foreach ((string user, SessionControl sessions) in users.Where(u => !failures.ContainsKey(u.User)))
        {
            if (batch)
                observer?.PhaseStarted(user, "closing sessions");
            if (sessions.WaitUntilClosed() is { } stillOpen)
                failures[user] = stillOpen;
        }
        return failures;
    }
}
