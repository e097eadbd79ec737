using DovecotRootHelper.Configuration;
using DovecotRootHelper.Mailboxes;

namespace DovecotRootHelper.Migration;

/// <summary>
/// The migration library's front door, used by the imaproot CLI: plan (dry run), migrate, resume,
/// roll back one user. Expected failures are <see cref="MigrationException"/> with a one-line message.
/// </summary>
public sealed partial class UserMigration(HelperConfig config, IMigrationObserver? observer = null)
{
    public HelperConfig Config { get; } = config;

    public IMigrationObserver? Observer { get; } = observer;

    // Dovecot's setup is read once per imaproot run, its userdb asked per user.
    private DovecotAgreement? _dovecot;
}

/// <summary>Which mailboxes the administrator named, and which further evidence sources to consult.</summary>
public sealed record MailboxSelection(IReadOnlyList<string> Given, IReadOnlyList<IMailboxEvidenceSource> Sources)
{
    public static MailboxSelection None { get; } = new([], []);
}

/// <summary>How a migrate, resume or rollback ended.</summary>
public sealed record MigrationResult(string User, State.UserState FinalState, MigrationPlan Plan, int StepsDone, IReadOnlyList<string> Messages);

/// <summary>Progress reports for a terminal display.</summary>
public interface IMigrationObserver
{
    void PhaseStarted(string user, string description);

    void StepStarted(string user, int index, int count, string description);
}

/// <summary>A migration cannot go on; the message is one line naming the user, the path and the reason.</summary>
public sealed class MigrationException(string message, Exception? inner = null) : Exception(message, inner);
