using System.Text;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Pop3;
using MailKit.Security;

namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>MailKit clients connected to the private Dovecot, each recording the conversation for assertions.</summary>
public static class MailClients
{
    public static ImapClient Imap(DovecotSandbox dovecot, Stream transcript)
    {
        var client = new ImapClient(new ProtocolLogger(transcript, leaveOpen: true)) { Timeout = 15_000 };
        client.Connect("127.0.0.1", dovecot.ImapPort, SecureSocketOptions.None);
        return client;
    }

    /// <summary>Logs the user in and opens <paramref name="mailbox"/> read-write: a session holding an mbox open.</summary>
    public static ImapClient Session(DovecotSandbox dovecot, TestUser user, string mailbox, Stream transcript)
    {
        ImapClient client = Imap(dovecot, transcript);
        client.Authenticate(user.Name, TestUser.Password);
        client.GetFolder(mailbox).Open(FolderAccess.ReadWrite);
        return client;
    }

    public static Pop3Client Pop3(DovecotSandbox dovecot, Stream transcript)
    {
        var client = new Pop3Client(new ProtocolLogger(transcript, leaveOpen: true)) { Timeout = 15_000 };
        client.Connect("127.0.0.1", dovecot.Pop3Port, SecureSocketOptions.None);
        return client;
    }

    /// <summary>Logs in over IMAP and returns the names <c>LIST "" "*"</c> gives, sorted.</summary>
    public static string[] ListMailboxes(DovecotSandbox dovecot, TestUser user)
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
    public static string FirstSubject(DovecotSandbox dovecot, TestUser user, string mailbox)
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

    /// <summary>
    /// Logs in over IMAP and returns each mailbox <c>LIST "" "*"</c> gives with its STATUS message
    /// count (<c>"Archive 2"</c>; <c>"mail -"</c> for one that cannot hold mail), sorted by name.
    /// </summary>
    public static string[] MessageCounts(DovecotSandbox dovecot, TestUser user)
    {
        using var transcript = new MemoryStream();
        using ImapClient client = Imap(dovecot, transcript);
        client.Authenticate(user.Name, TestUser.Password);
        var counts = new List<string>();
        foreach (IMailFolder folder in client.GetFolders(client.PersonalNamespaces[0]).OrderBy(f => f.FullName, StringComparer.Ordinal))
        {
            if (folder.Attributes.HasFlag(FolderAttributes.NoSelect))
            {
                counts.Add($"{folder.FullName} -");
                continue;
            }
            folder.Status(StatusItems.Count);
            counts.Add($"{folder.FullName} {folder.Count}");
        }
        client.Disconnect(quit: true);
        return [.. counts];
    }

    /// <summary>Tries an IMAP login that must fail; returns what MailKit threw and the conversation.</summary>
    public static (Exception Error, string Transcript) RefusedLogin(DovecotSandbox dovecot, string user, string password)
    {
        using var transcript = new MemoryStream();
        using ImapClient client = Imap(dovecot, transcript);
        Exception error = Assert.ThrowsAny<Exception>(() => client.Authenticate(user, password));
        Assert.False(client.IsAuthenticated);
        return (error, Text(transcript));
    }

    public static string Text(MemoryStream transcript) => Encoding.ASCII.GetString(transcript.ToArray());
}
