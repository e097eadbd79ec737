using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Pop3;

namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>What an IMAP client reads in a user's messages, beyond <see cref="ImapRecords"/>' UIDs and flags.</summary>
public static class MailboxContents
{
    /// <summary>
    /// Every message's UID with its subject and body text, in INBOX and <paramref name="mailboxes"/>
    /// (on-disk names): with unique messages, a copy that put one message's content under another's
    /// UID shows here.
    /// </summary>
    public static string[] Take(DovecotSandbox dovecot, TestUser user, IEnumerable<string> mailboxes)
    {
        using var transcript = new MemoryStream();
        using ImapClient client = MailClients.Imap(dovecot, transcript);
        client.Authenticate(user.Name, TestUser.Password);
        var contents = new List<string>();
        foreach (string name in new[] { "INBOX" }.Concat(mailboxes.Select(ImapRecords.Decode)))
        {
            IMailFolder folder = client.GetFolder(name);
            folder.Open(FolderAccess.ReadOnly);
            foreach (IMessageSummary summary in folder.Fetch(0, -1, new FetchRequest(MessageSummaryItems.UniqueId)))
            {
                MimeKit.MimeMessage message = folder.GetMessage(summary.UniqueId);
                contents.Add($"{name} {summary.UniqueId.Id} {message.Subject} {message.TextBody}");
            }
        }
        client.Disconnect(quit: true);
        return [.. contents];
    }

    /// <summary>The subjects of every message in <paramref name="mailbox"/>.</summary>
    public static string[] Subjects(DovecotSandbox dovecot, TestUser user, string mailbox)
    {
        using var transcript = new MemoryStream();
        using ImapClient client = MailClients.Imap(dovecot, transcript);
        client.Authenticate(user.Name, TestUser.Password);
        IMailFolder folder = client.GetFolder(mailbox);
        folder.Open(FolderAccess.ReadOnly);
        string[] subjects = [.. folder.Fetch(0, -1, new FetchRequest(MessageSummaryItems.Envelope)).Select(m => m.Envelope?.Subject ?? "")];
        client.Disconnect(quit: true);
        return subjects;
    }

    /// <summary>The UIDLs a POP3 client keeps to know which messages it has already fetched.</summary>
    public static string[] Uidls(DovecotSandbox dovecot, TestUser user)
    {
        using var transcript = new MemoryStream();
        using Pop3Client client = MailClients.Pop3(dovecot, transcript);
        client.Authenticate(user.Name, TestUser.Password);
        string[] uids = [.. client.GetMessageUids()];
        client.Disconnect(quit: true);
        return uids;
    }
}
