using DovecotRootHelper.EndToEnd.Tests.Infrastructure;
using MailKit.Net.Pop3;

namespace DovecotRootHelper.EndToEnd.Tests;

/// <summary>POP3 logins go through the same hook (as dovecot-root-helper-pop3) and get refusals in POP3's words.</summary>
public abstract class Pop3FollowsTheState(PrivateDovecot dovecot)
{
    [Fact]
    public void MigratingUserGetsSysTempError()
    {
        using var transcript = new MemoryStream();
        using Pop3Client client = MailClients.Pop3(dovecot, transcript);

        Assert.ThrowsAny<Exception>(() => client.Authenticate(dovecot.Carol.Name, TestUser.Password));

        Assert.False(client.IsAuthenticated);
        Assert.Contains("-ERR [SYS/TEMP] ", MailClients.Text(transcript), StringComparison.Ordinal);
    }

    [Fact]
    public void MigratingUsersRawPassGetsExactlyTheSysTempLine()
    {
        using var client = RawLineClient.Connect(dovecot.Pop3Port);

        client.Send("USER carol");
        Assert.Equal("+OK", client.ReadLine());
        client.Send("PASS secret");
        List<string> lines = client.ReadToClose();

        Assert.Equal(["-ERR [SYS/TEMP] Your mailbox is being moved; please try again in a few minutes."], lines);
    }

    [Fact]
    public void LegacyUserCanLogIn()
    {
        using var transcript = new MemoryStream();
        using Pop3Client client = MailClients.Pop3(dovecot, transcript);

        client.Authenticate(dovecot.Alice.Name, TestUser.Password);

        Assert.Equal(1, client.Count);
        Assert.Equal("inbox of alice", client.GetMessage(0).Subject);
        client.Disconnect(quit: true);
    }
}

/// <summary>On Debian 12's Dovecot 2.3.</summary>
public sealed class Pop3FollowsTheStateOnDovecot23(PrivateDovecot23 dovecot) : Pop3FollowsTheState(dovecot), IClassFixture<PrivateDovecot23>;

/// <summary>On Debian 13's Dovecot 2.4, in the cached Debian 13 tree.</summary>
public sealed class Pop3FollowsTheStateOnDovecot24(PrivateDovecot24 dovecot) : Pop3FollowsTheState(dovecot), IClassFixture<PrivateDovecot24>;

/// <summary>On Debian forky's Dovecot 2.4.5, in the cached forky tree.</summary>
public sealed class Pop3FollowsTheStateOnDovecot245(PrivateDovecot245 dovecot) : Pop3FollowsTheState(dovecot), IClassFixture<PrivateDovecot245>;
