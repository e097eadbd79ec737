using MailKit;
using MailKit.Net.Imap;

namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>A client's ordinary use of its mailboxes before a migration: select each, subscribe some, flag and tag messages.</summary>
public static class MailboxUse
{
    /// <summary>
    /// Selects every mailbox read-write once (Dovecot then writes UIDVALIDITY into the mbox headers
    /// and creates its index directory), subscribes to <paramref name="subscribed"/>, and sets
    /// flags and keywords: the first message \Flagged with "project-x", the second \Seen \Answered
    /// with "$Label1".
    /// </summary>
    public static void SelectFlagAndSubscribe(DovecotSandbox dovecot, TestUser user, IEnumerable<string> mailboxes, IEnumerable<string> subscribed)
    {
        using var transcript = new MemoryStream();
        using ImapClient client = MailClients.Imap(dovecot, transcript);
        client.Authenticate(user.Name, TestUser.Password);
        foreach (string name in mailboxes)
        {
            IMailFolder folder = client.GetFolder(ImapRecords.Decode(name));
            folder.Open(FolderAccess.ReadWrite);
            var first = new StoreFlagsRequest(StoreAction.Add, MessageFlags.Flagged) { Silent = true };
            first.Keywords.Add("project-x");
            folder.Store(0, first);
            if (folder.Count > 1)
            {
                var second = new StoreFlagsRequest(StoreAction.Add, MessageFlags.Seen | MessageFlags.Answered) { Silent = true };
                second.Keywords.Add("$Label1");
                folder.Store(1, second);
            }
            folder.Close();
        }
        foreach (string name in subscribed)
            client.GetFolder(ImapRecords.Decode(name)).Subscribe();
        client.Disconnect(quit: true);
    }
}
