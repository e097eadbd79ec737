using DovecotRootHelper.Mailboxes;
using DovecotRootHelper.Usage.Store;

namespace DovecotRootHelper.Usage;

/// <summary>
/// The migration plan's evidence from Dovecot's logs: mailboxes the user used within the last
/// <c>[usage] window-days</c>, read from the usage database when the plan asks. No database yet: no
/// evidence (the plan then rests on subscriptions and index directories, as before).
/// </summary>
public sealed class LoggedMailboxes(string database, int windowDays, Func<DateTimeOffset>? now = null) : IMailboxEvidenceSource
{
    public MailboxEvidence Kind => MailboxEvidence.Logged;

    public IEnumerable<string> MailboxNames(string user)
    {
        using UsageStore? store = UsageStore.OpenExisting(database);
        if (store is null)
            return [];
        long since = (now?.Invoke() ?? DateTimeOffset.UtcNow).AddDays(-windowDays).ToUnixTimeSeconds();
        return store.MailboxesUsedSince(user, since);
    }
}
