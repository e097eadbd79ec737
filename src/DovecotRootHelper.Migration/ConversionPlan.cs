using DovecotRootHelper.Locations;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Migration;

/// <summary>
/// What a conversion would do, decided before anything is touched: the user's state and location
/// now, the target's, the mailboxes Dovecot counts there, the space the copy needs against what
/// the file system has, and every reason it cannot go ahead.
/// </summary>
public sealed record ConversionPlan(
    string User,
    UserState From,
    string To,
    MailLocation? Source,
    MailLocation Destination,
    MailboxCensus? Census,
    long SourceBytes,
    long NeededBytes,
    long AvailableBytes,
    IReadOnlyList<string> Conflicts,
    IReadOnlyList<string> Notes)
{
    public bool IsExecutable => Conflicts.Count == 0;
}
