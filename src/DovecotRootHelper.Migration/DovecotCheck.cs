using DovecotRootHelper.Configuration;
using DovecotRootHelper.Posix;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Migration;

/// <summary>
/// A migration's two questions to Dovecot (<see cref="DovecotAgreement"/>): before anything is
/// touched, and once the state says migrated. Dovecot's setup is read once per imaproot run, its
/// userdb asked per user; the decision it must answer is <paramref name="store"/>'s.
/// </summary>
internal sealed class DovecotCheck(HelperConfig config, IStateStore store, Func<string, UnixAccount?> findAccount)
{
    private DovecotAgreement? _agreement;

    /// <summary>The first way Dovecot ignores the state file for this user, in one line, or null.</summary>
    public string? Disagreement(UnixAccount account)
    {
        _agreement ??= new DovecotAgreement(config, findAccount, store);
        IReadOnlyList<string> problems = _agreement.SetupProblems();
        return problems.Count > 0 ? problems[0] : _agreement.Disagreement(account);
    }

    /// <summary>
    /// Before anything is touched: Dovecot runs a setup that follows the state (the state file, or with
    /// the PostgreSQL backend the database through the pgsql all-services setup), and its userdb
    /// (where it decides) answers the user's present location. Otherwise a migration would move the
    /// mailboxes where Dovecot does not look.
    /// </summary>
    public void RequireServesState(UnixAccount account)
    {
        if (Disagreement(account) is { } problem)
            throw MigrationException.Refusal($"{account.Name}: {problem}");
    }
}
