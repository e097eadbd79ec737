using System.Text.Json;
using DovecotRootHelper.EndToEnd.Tests.Infrastructure;
using MailKit;
using MailKit.Net.Imap;
using MimeKit;

namespace DovecotRootHelper.EndToEnd.Tests;

/// <summary>
/// A real client's commands, logged by a real Dovecot with the shipped usage-logging snippet, end up
/// in the usage database: what imaproot usage show, candidates and plan then report.
/// </summary>
public abstract class UsageScanReadsDovecotsLog(UsageLoggingDovecot dovecot)
{
    [Fact]
    public void EveryMailboxCommandIsRecordedOnceUnderItsOnDiskName()
    {
        long before = dovecot.LogLength();
        Drive();
        dovecot.WaitForLog(before, "Projekte 2024");
        dovecot.WaitForLog(before, "\"cmd_args\":\"INBOX (");

        JsonElement scan = Json(dovecot.Imaproot("usage", "scan", "--json").Succeeded());
        Assert.True(scan.GetProperty("events").GetInt64() >= 12, scan.ToString());
        Assert.Equal(0, scan.GetProperty("malformed").GetInt64());

        Dictionary<string, JsonElement> rows = Show();
        Assert.Equal(["APPEND", "SELECT"], Commands(rows["Archive"]).Intersect(["SELECT", "APPEND"]).Order(StringComparer.Ordinal));
        Assert.Contains("used but not subscribed", Disagreements(rows["Archive"]));
        Assert.True(rows["Archive"].GetProperty("isMbox").GetBoolean());

        // COPY's target was renamed afterwards: its history followed it.
        Assert.Equal(["COPY", "EXAMINE"], Commands(rows["Old Folder"]).Order(StringComparer.Ordinal));
        Assert.Equal("My Folder", rows["Old Folder"].GetProperty("renamedFrom").GetString());
        Assert.Equal("Old Folder", rows["My Folder"].GetProperty("renamedTo").GetString());

        // Created with a UTF-8 name, stored and logged as modified UTF-7.
        Assert.Equal(["MOVE", "STATUS"], Commands(rows["Entw&APw-rfe"]).Order(StringComparer.Ordinal));
        Assert.Equal("Entwürfe", rows["Entw&APw-rfe"].GetProperty("displayName").GetString());
        Assert.NotNull(rows["Projekte 2024"].GetProperty("deleted").GetString());
        Assert.Equal(["EXAMINE"], Commands(rows["mail/Lists"]));
        Assert.Contains("subscribed but never used", Disagreements(rows["Subscribed Only"]));

        // The same log again adds nothing.
        JsonElement again = Json(dovecot.Imaproot("usage", "scan", "--json").Succeeded());
        Assert.Equal(0, again.GetProperty("events").GetInt64());
        Assert.Equal(Counts(rows), Counts(Show()));

        // The full-tree LIST and its running time, for candidates.
        JsonElement candidates = Json(dovecot.Imaproot("candidates", "--json").Succeeded());
        JsonElement row = candidates.GetProperty("users").EnumerateArray().Single(u => u.GetProperty("user").GetString() == dovecot.User.Name);
        Assert.True(row.GetProperty("fullTreeLists").GetInt64() >= 1, $"{row}\n{string.Join('\n', dovecot.LogSince(before).Split('\n').Where(l => l.Contains("\"LIST\"", StringComparison.Ordinal)))}");

        // The plan takes the logged mailboxes as evidence.
        JsonElement plan = Json(dovecot.Imaproot("plan", dovecot.User.Name, "--json"));
        JsonElement archive = plan.GetProperty("mailboxes").EnumerateArray().Single(m => m.GetProperty("name").GetString() == "Archive");
        Assert.Contains("logged", archive.GetProperty("evidence").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void NamesMailLogCutAreNotRecordedAsNames()
    {
        // 70 bytes: mail_log writes it cut to 61 and "..." (str_sanitize, 64 bytes); the exporter
        // writes the client's argument whole.
        string longName = "Long" + new string('n', 66);
        long before = dovecot.LogLength();
        using (var transcript = new MemoryStream())
        using (ImapClient client = MailClients.Imap(dovecot, transcript))
        {
            client.Authenticate(dovecot.User.Name, TestUser.Password);
            IMailFolder root = client.GetFolder(client.PersonalNamespaces[0]);
            IMailFolder folder = root.Create(longName, isMessageFolder: true)!;
            folder.Open(FolderAccess.ReadOnly);
            folder.Close();
            folder.Rename(root, longName + "x");
            folder.Delete();
            client.Inbox.Status(StatusItems.Unread);
            client.Disconnect(quit: true);
        }
        string cut = longName[..61] + "...";
        dovecot.WaitForLog(before, "\"cmd_args\":\"INBOX (");
        string log = dovecot.WaitForLog(before, "Mailbox deleted");
        Assert.Contains(cut, log, StringComparison.Ordinal);

        JsonElement scan = Json(dovecot.Imaproot("usage", "scan", "--json").Succeeded());
        Assert.Equal(0, scan.GetProperty("malformed").GetInt64());
        Dictionary<string, JsonElement> rows = Show();
        Assert.DoesNotContain(rows.Keys, name => name.EndsWith("...", StringComparison.Ordinal));
        Assert.Contains("EXAMINE", Commands(rows[longName]));
    }

    // SELECT, EXAMINE, STATUS, APPEND, COPY, MOVE, CREATE, RENAME, DELETE and LIST from MailKit; a mailbox below a folder.
    private void Drive()
    {
        using var transcript = new MemoryStream();
        using ImapClient client = MailClients.Imap(dovecot, transcript);
        client.Authenticate(dovecot.User.Name, TestUser.Password);
        IMailFolder root = client.GetFolder(client.PersonalNamespaces[0]);
        IMailFolder myFolder = root.Create("My Folder", isMessageFolder: true)!;
        IMailFolder drafts = root.Create("Entwürfe", isMessageFolder: true)!;
        IMailFolder year = root.Create("Projekte 2024", isMessageFolder: true)!;
        root.Create("Subscribed Only", isMessageFolder: true)!.Subscribe();
        IMailFolder archive = client.GetFolder("Archive");
        archive.Append(new MimeMessage(new[] { new MailboxAddress("a", "a@example.org") }, new[] { new MailboxAddress("b", "b@example.org") }, "appended", new TextPart("plain") { Text = "hi" }));
        archive.Open(FolderAccess.ReadWrite);
        archive.CopyTo(archive.Search(MailKit.Search.SearchQuery.All), myFolder);
        archive.MoveTo(archive.Search(MailKit.Search.SearchQuery.All).Take(1).ToList(), drafts);
        archive.Close();
        myFolder.Open(FolderAccess.ReadOnly);
        myFolder.Close();
        drafts.Status(StatusItems.Count);
        myFolder.Rename(root, "Old Folder");
        year.Delete();
        _ = root.GetSubfolders(StatusItems.None, subscribedOnly: false).ToList();
        _ = client.GetFolders(client.PersonalNamespaces[0], StatusItems.None, subscribedOnly: false).ToList();
        _ = client.GetFolders(client.PersonalNamespaces[0], StatusItems.None, subscribedOnly: true).ToList();
        IMailFolder lists = client.GetFolder("mail/Lists");
        lists.Open(FolderAccess.ReadOnly);
        lists.Close();
        client.Inbox.Status(StatusItems.Unread); // The last command: the scan waits for it.
        client.Disconnect(quit: true);
    }

    private Dictionary<string, JsonElement> Show() =>
        Json(dovecot.Imaproot("usage", "show", dovecot.User.Name, "--json").Succeeded())
            .GetProperty("mailboxes").EnumerateArray().ToDictionary(m => m.GetProperty("name").GetString()!);

    private static IEnumerable<string> Commands(JsonElement row) => row.GetProperty("commands").EnumerateObject().Select(p => p.Name);

    private static IEnumerable<string> Disagreements(JsonElement row) => row.GetProperty("disagreements").EnumerateArray().Select(e => e.GetString()!);

    private static List<string> Counts(Dictionary<string, JsonElement> rows) =>
        [.. rows.Select(r => $"{r.Key} {r.Value.GetProperty("loggedCount").GetInt64()}").Order(StringComparer.Ordinal)];

    private static JsonElement Json(ImaprootRun run) => JsonDocument.Parse(run.Stdout).RootElement.Clone();
}

/// <summary>On Debian 12's Dovecot 2.3.</summary>
public sealed class UsageScanReadsDovecotsLogOnDovecot23(UsageLoggingDovecot23 dovecot) : UsageScanReadsDovecotsLog(dovecot), IClassFixture<UsageLoggingDovecot23>;

/// <summary>On Debian 13's Dovecot 2.4, in the cached Debian 13 tree.</summary>
public sealed class UsageScanReadsDovecotsLogOnDovecot24(UsageLoggingDovecot24 dovecot) : UsageScanReadsDovecotsLog(dovecot), IClassFixture<UsageLoggingDovecot24>;

/// <summary>On Debian forky's Dovecot 2.4.5, in the cached forky tree.</summary>
public sealed class UsageScanReadsDovecotsLogOnDovecot245(UsageLoggingDovecot245 dovecot) : UsageScanReadsDovecotsLog(dovecot), IClassFixture<UsageLoggingDovecot245>;
