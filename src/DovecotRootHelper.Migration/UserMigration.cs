using DovecotRootHelper.Configuration;
using DovecotRootHelper.Mailboxes;
using DovecotRootHelper.Posix;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Migration;

/// <summary>
/// The migration library's front door, used by the imaproot CLI: plan (dry run), migrate one user or
/// a batch, resume, roll back. Each call looks the account up once (or takes the one the command
/// looked up) and hands it to the phases (<see cref="MigrationPhases"/>). Expected failures are
/// <see cref="MigrationException"/> with a one-line message.
/// </summary>
public sealed class UserMigration(HelperConfig config, IMigrationObserver? observer = null)
{
    private MigrationPhases? _phases;

    public HelperConfig Config { get; } = config;

    public IMigrationObserver? Observer { get; } = observer;

    /// <summary>Where the users' states are kept: the state file unless the command chose the database.</summary>
    public IStateStore Store { get; init; } = new FileStateStore(config);

    /// <summary>How accounts are looked up; getpwnam by default, replaceable in tests.</summary>
    public Func<string, UnixAccount?> FindAccount { get; init; } = UnixAccount.Find;

    /// <summary>What to do about the user's mail filters that name moving paths (<c>--filter-references</c>).</summary>
    public FilterReferenceHandling FilterReferences { get; init; }

    /// <summary>
    /// Evidence every plan consults besides the selection's own (the usage database's logged
    /// mailboxes), so that a plan made again by migrate or resume sees what plan saw.
    /// </summary>
    public IReadOnlyList<IMailboxEvidenceSource> EvidenceSources { get; init; } = [];

    // Made on first use, after the init-only settings; Dovecot's setup is read once per instance.
    private MigrationPhases Phases => _phases ??= new MigrationPhases(Config, Store, Observer, FindAccount, FilterReferences, EvidenceSources);

    /// <summary>The dry run: discovers the user's mailboxes and decides every step. Touches nothing.</summary>
    public MigrationPlan Plan(string user, MailboxSelection selection) => Plan(Account(user), selection);

    /// <inheritdoc cref="Plan(string, MailboxSelection)"/>
    public MigrationPlan Plan(UnixAccount account, MailboxSelection selection) => Phases.Planner.Plan(Usable(account), selection, allowMigrating: false);

    /// <summary>The user's current state, as the login hook would decide it.</summary>
    public UserState CurrentState(string user) => CurrentState(Account(user));

    /// <inheritdoc cref="CurrentState(string)"/>
    public UserState CurrentState(UnixAccount account) => Phases.States.Current(Usable(account));

    /// <summary>
    /// Migrates one user: state migrating, sessions closed, journal written, every step done and
    /// recorded, every move verified, state migrated, auth cache flushed. Throws
    /// <see cref="MigrationException"/> on a conflict (nothing touched) or a failure (the journal
    /// says what is done; <see cref="Resume(string, bool)"/> finishes or undoes it).
    /// </summary>
    public MigrationResult Migrate(string user, MailboxSelection selection) => Migrate(Account(user), selection);

    /// <inheritdoc cref="Migrate(string, MailboxSelection)"/>
    public MigrationResult Migrate(UnixAccount account, MailboxSelection selection) => new SingleMigration(Phases).Migrate(Usable(account), selection);

    /// <summary>
    /// Migrates several users as one operation (<see cref="BatchMigration"/>); one user's failure
    /// never stops the others, and a user whose account cannot be used fails alone, nothing touched.
    /// </summary>
    public BatchResult MigrateBatch(IReadOnlyList<string> users, MailboxSelection selection)
    {
        ArgumentNullException.ThrowIfNull(users);
        return new BatchMigration(Phases).Migrate([.. users.Distinct(StringComparer.Ordinal).Select(Member)], selection);
    }

    /// <inheritdoc cref="MigrateBatch(IReadOnlyList{string}, MailboxSelection)"/>
    public BatchResult MigrateBatch(IReadOnlyList<UnixAccount> accounts, MailboxSelection selection)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        return new BatchMigration(Phases).Migrate([.. accounts.DistinctBy(a => a.Name, StringComparer.Ordinal).Select(a => Member(a.Name, a))], selection);
    }

    /// <summary>Finishes an interrupted migration from its journal, or undoes it (<paramref name="rollback"/>).</summary>
    public MigrationResult Resume(string user, bool rollback) => Resume(Account(user), rollback);

    /// <inheritdoc cref="Resume(string, bool)"/>
    public MigrationResult Resume(UnixAccount account, bool rollback) => Interrupted.Resume(Usable(account), rollback);

    /// <summary>Undoes a migration, complete or not, from its kept journal; the user ends <c>legacy</c>.</summary>
    public MigrationResult Rollback(string user) => Rollback(Account(user));

    /// <inheritdoc cref="Rollback(string)"/>
    public MigrationResult Rollback(UnixAccount account) => Interrupted.Rollback(Usable(account));

    /// <summary>
    /// The user's journal when a migration or rollback is unfinished; null when none is pending. The
    /// account is looked up only when there is a journal to check against it: a user without an
    /// account (<c>imaproot set</c> takes any name) has none pending.
    /// </summary>
    public JournalSummary? Pending(string user) => Pending(user, () => Account(user));

    /// <inheritdoc cref="Pending(string)"/>
    public JournalSummary? Pending(UnixAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        return Pending(account.Name, () => Usable(account));
    }

    private JournalSummary? Pending(string user, Func<UnixAccount> account)
    {
        JournalSummary? summary = Phases.OpenJournal(user, account)?.Summary();
        return summary is { IsPending: true } ? summary : null;
    }

    private InterruptedMigration Interrupted => new(Phases, new SingleMigration(Phases));

    private BatchMember Member(string user)
    {
        try
        {
            return Member(user, Account(user));
        }
        catch (MigrationException e)
        {
            return Member(user, null, $"{e.Message}; nothing was touched");
        }
    }

    private static BatchMember Member(string user, UnixAccount? account, string? error = null)
    {
        var member = new BatchMember(user, account);
        if (error is not null)
            member.Fail(error);
        return member;
    }

    // The one account lookup of a call.
    private UnixAccount Account(string user) => Usable(FindAccount(user) ?? throw new MigrationException($"{user}: no such Unix account"));

    private static UnixAccount Usable(UnixAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        if (!Path.IsPathRooted(account.Home) || account.Home.TrimEnd('/').Length == 0)
            throw new MigrationException($"{account.Name}: the home directory '{account.Home}' is not an absolute path below /");
        return account;
    }
}
