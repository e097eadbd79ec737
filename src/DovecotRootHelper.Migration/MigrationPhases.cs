using DovecotRootHelper.Configuration;
using DovecotRootHelper.Mailboxes;
using DovecotRootHelper.Posix;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Migration;

/// <summary>
/// The phases a migrate, resume, rollback or batch is composed of, in the order they run: the user
/// locked and admitted (<see cref="Admit"/>, nothing touched), logins refused and sessions closed
/// (<see cref="LoginRefusal"/>), the plan made again (<see cref="MigrationPlanner"/>) and journaled,
/// the steps (<see cref="JournaledSteps"/>), the state flipped (<see cref="UserStates"/>), Dovecot's
/// agreement (<see cref="Completion"/>) or the way back (<see cref="UserRollback"/>). Each takes the
/// account looked up once by the command.
/// </summary>
internal sealed class MigrationPhases
{
    public MigrationPhases(HelperConfig config, IStateStore store, IMigrationObserver? observer, Func<string, UnixAccount?> findAccount, FilterReferenceHandling filterReferences, IReadOnlyList<IMailboxEvidenceSource> evidenceSources)
    {
        Config = config;
        Store = store;
        Observer = observer;
        States = new UserStates(config, store);
        Planner = new MigrationPlanner(config, States, filterReferences, evidenceSources);
        Dovecot = new DovecotCheck(config, findAccount);
        Logins = new LoginRefusal(config.Migration, States, observer);
        Steps = new JournaledSteps(observer);
        Rollback = new UserRollback(this);
        Completion = new Completion(this);
    }

    public HelperConfig Config { get; }

    /// <summary>Where the users' states are kept, and the site-wide locks.</summary>
    public IStateStore Store { get; }

    public IMigrationObserver? Observer { get; }

    public UserStates States { get; }

    public MigrationPlanner Planner { get; }

    public DovecotCheck Dovecot { get; }

    public LoginRefusal Logins { get; }

    public JournaledSteps Steps { get; }

    public UserRollback Rollback { get; }

    public Completion Completion { get; }

    /// <summary>One imaproot at a time per user, for the whole operation.</summary>
    public IDisposable Lock(string user) => UserLock.Take(Store, user);

    /// <summary>
    /// Everything checked before anything is touched: no journal left by an earlier migration,
    /// Dovecot serving the state file, a plan without conflict.
    /// </summary>
    public void Admit(UnixAccount account, MailboxSelection selection)
    {
        RequireNoJournal(account);
        Dovecot.RequireServesState(account);
        MigrationPlanner.RequireExecutable(Planner.Plan(account, selection, allowMigrating: false));
    }

    /// <summary>The user's journal, refused unless root wrote it for the account as it is now.</summary>
    public Journal? OpenJournal(UnixAccount account) => OpenJournal(account.Name, () => account);

    /// <inheritdoc cref="OpenJournal(UnixAccount)"/>
    public Journal? OpenJournal(string user, Func<UnixAccount> account)
    {
        Journal? journal = Journal.Open(Config.Migration.JournalDirectory, user);
        journal?.RequireDescribes(account());
        return journal;
    }

    /// <summary>Dovecot forgets its cached answers for the user (the auth cache flush command).</summary>
    public void Flush(string user, List<string> messages)
    {
        var sessions = new SessionControl(Config.Migration, user);
        sessions.FlushCache();
        messages.AddRange(sessions.Messages);
    }

    /// <summary>The one syslog line and progress line a finished migrate, resume or rollback leaves.</summary>
    public MigrationResult Finish(MigrationPlan plan, UserState state, int steps, List<string> messages, string what)
    {
        int moved = plan.Mailboxes.Count(m => m.Disposition == MailboxDisposition.Moves);
        using (Serilog.Core.Logger log = Logging.HelperLog.Create("imaproot", toStandardError: false))
        {
            log.Information("{User}: {What}: {Mailboxes} mailboxes, {Steps} steps, {Notes} notes", plan.User, what, moved, steps, plan.Notes.Count);
        }
        Observer?.PhaseStarted(plan.User, $"{what}: {moved} mailboxes, {steps} steps");
        return new MigrationResult(plan.User, state, plan, steps, messages);
    }

    /// <summary>Refuses a user whose earlier migration left a journal: pending (resume it) or complete (roll back first).</summary>
    private void RequireNoJournal(UnixAccount account)
    {
        if (OpenJournal(account) is not { } existing)
            return;
        throw new MigrationException(existing.Summary().IsPending
            ? $"{account.Name}: a migration journal is pending ({existing.Path}, phase {existing.Phase}); run resume or resume --rollback"
            : $"{account.Name}: a completed migration's journal is kept at {existing.Path}; roll back first or remove it");
    }
}
