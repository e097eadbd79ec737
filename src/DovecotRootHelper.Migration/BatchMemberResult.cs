using DovecotRootHelper.State;

namespace DovecotRootHelper.Migration;

/// <summary>How one user of a batch ended: migrated, or failed with everything of theirs back where it was.</summary>
public sealed record BatchMemberResult(
    string User,
    UserState? FinalState,
    string? Error,
    int Mailboxes,
    long BytesMoved,
    int Steps,
    TimeSpan Duration,
    TimeSpan LoginsRefused,
    IReadOnlyList<string> Messages);
