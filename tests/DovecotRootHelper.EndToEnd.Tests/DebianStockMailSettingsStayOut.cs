using DovecotRootHelper.EndToEnd.Tests.Infrastructure;
using MailKit;
using MailKit.Net.Imap;

namespace DovecotRootHelper.EndToEnd.Tests;

/// <summary>
/// Dovecot 2.4 with Debian's stock conf.d/10-mail.conf (Debian 13's and forky's say alike: mail_driver =
/// mbox, mail_path = %{home}/mail, mail_inbox_path = /var/mail/%{user}; included as a stock install has it) and a
/// migrated template of another driver, maildir:~/Maildir:LAYOUT=fs: the hook hands over every
/// location setting, so none of the global ones leaks in and INBOX is the Maildir itself. (Handing over
/// only the settings the template names left mail_inbox_path global: INBOX failed with SERVERBUG.)
/// </summary>
public abstract class DebianStockMailSettingsStayOut(StockMailSettingsDovecot dovecot)
{
    [Fact]
    public void AMaildirTemplateGetsItsOwnInboxWhateverTheGlobalSettingsSay()
    {
        using var transcript = new MemoryStream();
        using ImapClient client = MailClients.Imap(dovecot, transcript);
        client.Authenticate(dovecot.Grace.Name, TestUser.Password);
        client.Inbox.Open(FolderAccess.ReadOnly);
        Assert.Equal(1, client.Inbox.Count);
        Assert.Equal("maildir inbox of grace", client.Inbox.GetMessage(0).Subject);
        string[] folders = client.GetFolders(client.PersonalNamespaces[0]).Select(f => f.FullName).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["INBOX", "Projects"], folders);
        client.Disconnect(quit: true);
    }
}

/// <summary>On Debian 13's Dovecot 2.4, with the Debian 13 tree's conf.d/10-mail.conf.</summary>
public sealed class DebianStockMailSettingsStayOutOnDovecot24(StockMailSettingsDovecot24 dovecot) : DebianStockMailSettingsStayOut(dovecot), IClassFixture<StockMailSettingsDovecot24>;

/// <summary>On Debian forky's Dovecot 2.4.5, with the forky tree's conf.d/10-mail.conf.</summary>
public sealed class DebianStockMailSettingsStayOutOnDovecot245(StockMailSettingsDovecot245 dovecot) : DebianStockMailSettingsStayOut(dovecot), IClassFixture<StockMailSettingsDovecot245>;

/// <summary>A private Dovecot 2.4 that includes its Debian tree's own conf.d/10-mail.conf, with one user migrated to a Maildir.</summary>
public abstract class StockMailSettingsDovecot : DovecotSandbox
{
    protected StockMailSettingsDovecot(DovecotGeneration generation)
        : base("grace migrated\n", generation)
    {
        try
        {
            File.WriteAllText(ConfigPath, $"""
                [dovecot]
                version = {GenerationName}

                [locations]
                legacy = mbox:~:INBOX={Path.Combine(DovecotDirectory, "spool")}/%u
                migrated = maildir:~/Maildir:LAYOUT=fs

                [state]
                file = {StatePath}

                """);
            string postLogin = InstallSnippet(RepositoryLayout.PostLoginSnippet(generation), new Dictionary<string, string>
            {
                ["/usr/lib/dovecot-root-helper/"] = RepositoryLayout.HookDirectory + "/",
            });
            // The path is read by the chrooted Dovecot: its Debian tree's stock file.
            Start(new Dictionary<string, string> { ["HELPER_CONFIG"] = ConfigPath }, postLogin, "/etc/dovecot/conf.d/10-mail.conf");
            Grace = AddUser("grace", 20010);
            string maildir = Path.Combine(Grace.Home, "Maildir");
            MailTree.AddFile(Grace, maildir, "cur/1700000000.M1P1.test:2,S", "From: a@b\nSubject: maildir inbox of grace\n\nbody\n");
            MailTree.AddFile(Grace, maildir, "Projects/cur/1700000001.M2P1.test:2,S", "From: a@b\nSubject: a project\n\nbody\n");
            foreach (string dir in new[] { "new", "tmp", "Projects/new", "Projects/tmp" })
            {
                Directory.CreateDirectory(Path.Combine(maildir, dir));
                Native.ChangeOwner(Path.Combine(maildir, dir), Grace.Uid);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public TestUser Grace { get; }
}

/// <summary>In the Debian 13 tree.</summary>
public sealed class StockMailSettingsDovecot24() : StockMailSettingsDovecot(DovecotGeneration.V24);

/// <summary>In the forky tree.</summary>
public sealed class StockMailSettingsDovecot245() : StockMailSettingsDovecot(DovecotGeneration.V245);
