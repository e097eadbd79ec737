using DovecotRootHelper.Posix;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Migration;

/// <summary>One user of a batch, as the batch's phases go: locked, refused, moved, and how it ended.</summary>
internal sealed class BatchMember(string user, UnixAccount? account)
{
    public string User { get; } = user;

    /// <summary>The account, looked up once; null when the lookup failed (<see cref="Error"/> says why).</summary>
    public UnixAccount? Account { get; } = account;

    public IDisposable? Lock { get; set; }

    public SessionControl? Sessions { get; set; }

    public Journal? Journal { get; set; }

    public MigrationPlan? Plan { get; set; }

    public string? Error { get; set; }

    public bool LeftMigrating { get; set; }

    public TimeSpan Duration { get; set; }

    public TimeSpan LoginsRefused { get; set; }

    public List<string> Messages { get; } = [];

    /// <summary>What the batch's second state-file write sets for this user.</summary>
    public UserState FinalState => Error is null ? UserState.Migrated : LeftMigrating ? UserState.Migrating : UserState.Legacy;

    /// <summary>The first failure is the one reported.</summary>
    public void Fail(string error) => Error ??= error;

    public BatchMemberResult Result()
    {
        if (Error is not null || Plan is null)
            return new BatchMemberResult(User, null, Error ?? $"{User}: not migrated", 0, 0, 0, Duration, LoginsRefused, Messages);
        var moving = Plan.Mailboxes.Where(m => m.Disposition == MailboxDisposition.Moves).Select(m => MigrationLayout.Join(Plan.LegacyRoot, m.Name)).ToHashSet(StringComparer.Ordinal);
        long bytes = Plan.Steps.OfType<MoveEntry>().Where(m => m.Kind == EntryKind.File && moving.Contains(m.From)).Sum(m => m.Identity.Size);
        return new BatchMemberResult(User, UserState.Migrated, null, moving.Count, bytes, Plan.Steps.Count, Duration, LoginsRefused, Messages);
    }
}
