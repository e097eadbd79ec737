using System.Globalization;
using MailKit;
using MailKit.Net.Imap;

namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Everything a synchronising IMAP client remembers about a user's mailboxes: LIST and LSUB names,
/// STATUS UIDVALIDITY, UIDNEXT and MESSAGES, and every message's UID, flags and keywords. Equal
/// records mean the client has nothing to resynchronise.
/// </summary>
public sealed record ImapRecords(string[] List, string[] Lsub, string[] Status, string[] Messages)
{
    /// <summary>
    /// Logs in and records. <paramref name="hidden"/> are names left out of the LIST record (the
    /// clutter a $HOME root shows and $HOME/IMAP does not); <see cref="FullList"/> has them all.
    /// STATUS and messages are read for <paramref name="mailboxes"/> and INBOX, read-only.
    /// </summary>
    public static ImapRecords Take(DovecotSandbox dovecot, TestUser user, IEnumerable<string> mailboxes, ISet<string> hidden)
    {
        using var transcript = new MemoryStream();
        using ImapClient client = MailClients.Imap(dovecot, transcript);
        client.Authenticate(user.Name, TestUser.Password);
        FolderNamespace personal = client.PersonalNamespaces[0];
        string[] all = Names(client.GetFolders(personal, StatusItems.None, subscribedOnly: false));
        string[] lsub = Names(client.GetFolders(personal, StatusItems.None, subscribedOnly: true));
        var status = new List<string>();
        var messages = new List<string>();
        foreach (string name in new[] { "INBOX" }.Concat(mailboxes.Select(Decode)).Order(StringComparer.Ordinal))
        {
            IMailFolder folder = client.GetFolder(name);
            folder.Status(StatusItems.UidValidity | StatusItems.UidNext | StatusItems.Count);
            status.Add(string.Create(CultureInfo.InvariantCulture, $"{name} uidvalidity={folder.UidValidity} uidnext={folder.UidNext} messages={folder.Count}"));
            folder.Open(FolderAccess.ReadOnly);
            foreach (IMessageSummary message in folder.Fetch(0, -1, new FetchRequest(MessageSummaryItems.UniqueId | MessageSummaryItems.Flags)))
            {
                string keywords = string.Join(' ', message.Keywords.Order(StringComparer.Ordinal));
                messages.Add($"{name} uid={message.UniqueId.Id} flags={message.Flags} keywords=[{keywords}]");
            }
            folder.Close();
        }
        client.Disconnect(quit: true);
        return new ImapRecords([.. all.Where(n => !hidden.Contains(n))], lsub, [.. status], [.. messages]) { FullList = all };
    }

    /// <summary>Every name LIST gave, the hidden ones included.</summary>
    public string[] FullList { get; private init; } = [];

    /// <summary>MailKit's name for an on-disk (modified UTF-7) mailbox name.</summary>
    public static string Decode(string onDisk) =>
        onDisk.Replace("&APw-", "ü", StringComparison.Ordinal);

    private static string[] Names(IEnumerable<IMailFolder> folders) =>
        [.. folders.Select(f => f.FullName).Order(StringComparer.Ordinal)];
}
