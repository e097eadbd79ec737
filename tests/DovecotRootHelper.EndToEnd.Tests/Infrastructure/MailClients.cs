using System.Text;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Pop3;
using MailKit.Security;

namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>MailKit clients connected to the private Dovecot, each recording the conversation for assertions.</summary>
public static class MailClients
{
    public static ImapClient Imap(PrivateDovecot dovecot, Stream transcript)
    {
        var client = new ImapClient(new ProtocolLogger(transcript, leaveOpen: true)) { Timeout = 15_000 };
        client.Connect("127.0.0.1", dovecot.ImapPort, SecureSocketOptions.None);
        return client;
    }

    public static Pop3Client Pop3(PrivateDovecot dovecot, Stream transcript)
    {
        var client = new Pop3Client(new ProtocolLogger(transcript, leaveOpen: true)) { Timeout = 15_000 };
        client.Connect("127.0.0.1", dovecot.Pop3Port, SecureSocketOptions.None);
        return client;
    }

    /// <summary>Logs in over IMAP and returns the names <c>LIST "" "*"</c> gives, sorted.</summary>
    public static string[] ListMailboxes(PrivateDovecot dovecot, TestUser user)
    {
        using var transcript = new MemoryStream();
        using ImapClient client = Imap(dovecot, transcript);
        client.Authenticate(user.Name, TestUser.Password);
        string[] names = client.GetFolders(client.PersonalNamespaces[0])
            .Select(folder => folder.FullName)
            .Order(StringComparer.Ordinal)
            .ToArray();
        client.Disconnect(quit: true);
        return names;
    }

    /// <summary>The subject of the first message in a mailbox, which says which copy of it Dovecot opened.</summary>
    public static string FirstSubject(PrivateDovecot dovecot, TestUser user, string mailbox)
    {
        using var transcript = new MemoryStream();
        using ImapClient client = Imap(dovecot, transcript);
        client.Authenticate(user.Name, TestUser.Password);
        IMailFolder folder = client.GetFolder(mailbox);
        folder.Open(FolderAccess.ReadOnly);
        string subject = folder.GetMessage(0).Subject ?? "";
        client.Disconnect(quit: true);
        return subject;
    }

    public static string Text(MemoryStream transcript) => Encoding.ASCII.GetString(transcript.ToArray());
}
