using DovecotRootHelper.EndToEnd.Tests.Infrastructure;
using MailKit.Net.Pop3;

namespace DovecotRootHelper.EndToEnd.Tests;

/// <summary>
/// The hook as Dovecot's post-login service itself (packaging/dovecot/dovecot-2.3-postlogin-service.conf):
/// the same roots, refusals and state changes as under script-login, over IMAP and POP3.
/// </summary>
public sealed class HookAsPostLoginService(ServiceModeDovecot dovecot) : IClassFixture<ServiceModeDovecot>, IDisposable
{
    [Fact]
    public void LegacyAndMigratedUsersGetTheirRoots()
    {
        Assert.Equal(
            [".bashrc", "Documents", "Documents/report.pdf", "INBOX", "Sent", "mail", "mail/Archive", "mail/Lists", "mail/Lists/debian"],
            MailClients.ListMailboxes(dovecot, dovecot.Alice));
        Assert.Equal(["INBOX", "Sent", "mail", "mail/Archive", "mail/Lists", "mail/Lists/debian"], MailClients.ListMailboxes(dovecot, dovecot.Bob));
        Assert.Equal("mail/Archive in bob's IMAP", MailClients.FirstSubject(dovecot, dovecot.Bob, "mail/Archive"));
        Assert.Equal("dave's archive", MailClients.FirstSubject(dovecot, dovecot.Dave, "mail/Archive"));
    }

    [Fact]
    public void MigratingUserGetsExactlyTheByeLineAndNoSession()
    {
        using var client = RawLineClient.Connect(dovecot.ImapPort);
        client.Send($"a LOGIN {dovecot.Carol.Name} {TestUser.Password}");
        Assert.Equal(["* BYE [UNAVAILABLE] Your mailbox is being moved; please try again in a few minutes."], client.ReadToClose());
        Assert.Empty(dovecot.Sessions(dovecot.Carol));
    }

    [Fact]
    public void Pop3UsesTheSameStateAndPop3sWords()
    {
        using (var transcript = new MemoryStream())
        using (Pop3Client pop3 = MailClients.Pop3(dovecot, transcript))
        {
            pop3.Authenticate(dovecot.Bob.Name, TestUser.Password);
            Assert.True(pop3.IsAuthenticated);
        }
        using var client = RawLineClient.Connect(dovecot.Pop3Port);
        client.Send($"USER {dovecot.Carol.Name}");
        Assert.Equal("+OK", client.ReadLine());
        client.Send($"PASS {TestUser.Password}");
        Assert.Equal(["-ERR [SYS/TEMP] Your mailbox is being moved; please try again in a few minutes."], client.ReadToClose());
    }

    [Fact]
    public void ACorruptStateFileRefusesEveryoneAndTheLogSaysWhy()
    {
        dovecot.WriteState(new byte[4096]);
        long log = dovecot.LogLength();
        using var client = RawLineClient.Connect(dovecot.ImapPort);
        client.Send($"a LOGIN {dovecot.Bob.Name} {TestUser.Password}");
        Assert.Equal(["* BYE [UNAVAILABLE] Mail service is temporarily unavailable; please try again later."], client.ReadToClose());
        string written = dovecot.WaitForLog(log, $"Post-login script denied access to user {dovecot.Bob.Name}");
        Assert.Contains("control byte 0x00", written, StringComparison.Ordinal);
    }

    [Fact]
    public void AStateChangeTakesEffectAtTheNextLogin()
    {
        Assert.DoesNotContain("IMAP", MailClients.ListMailboxes(dovecot, dovecot.Bob));
        dovecot.WriteState(PrivateDovecot.InitialState.Replace("bob migrated", "bob legacy", StringComparison.Ordinal));
        Assert.Contains("IMAP", MailClients.ListMailboxes(dovecot, dovecot.Bob));
    }

    [Fact]
    public void WithPostLoginFinishExecDovecotsScriptLoginFinishesTheLogin()
    {
        dovecot.WriteHelperConfig("exec");
        Assert.Equal("mail/Archive in bob's IMAP", MailClients.FirstSubject(dovecot, dovecot.Bob, "mail/Archive"));
    }

    public void Dispose()
    {
        dovecot.RestoreState();
        dovecot.WriteHelperConfig();
    }
}
