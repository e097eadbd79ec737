using DovecotRootHelper.EndToEnd.Tests.Infrastructure;

namespace DovecotRootHelper.EndToEnd.Tests;

/// <summary>A line the hook cannot parse refuses the user it names, with file:line in the log; everyone else logs in.</summary>
public abstract class MalformedLineRefusesOnlyThatUser(PrivateDovecot dovecot) : IDisposable
{
    [Fact]
    public void UserWithAnUnknownStateIsRefusedWithFileAndLineInTheLog()
    {
        // InitialState has five lines; dave's is the sixth.
        dovecot.WriteState(PrivateDovecot.InitialState + "dave migratd\n");
        long log = dovecot.LogLength();
        using var client = RawLineClient.Connect(dovecot.ImapPort);

        client.Send("a LOGIN dave secret");

        Assert.Equal(["* BYE [UNAVAILABLE] Mail service is temporarily unavailable; please try again later."], client.ReadToClose());
        string written = dovecot.WaitForLog(log, "Post-login script denied access to user dave");
        Assert.Contains($"{dovecot.StatePath}:6: unknown state 'migratd' for user 'dave'", written, StringComparison.Ordinal);
    }

    [Fact]
    public void UserWithNoStateIsRefusedWithFileAndLineInTheLog()
    {
        dovecot.WriteState(PrivateDovecot.InitialState + "dave\n");
        long log = dovecot.LogLength();

        Assert.ThrowsAny<Exception>(() => MailClients.ListMailboxes(dovecot, dovecot.Dave));

        string written = dovecot.WaitForLog(log, "Post-login script denied access to user dave");
        Assert.Contains($"{dovecot.StatePath}:6: user 'dave' has no state", written, StringComparison.Ordinal);
    }

    [Fact]
    public void OtherUsersStillLogIn()
    {
        dovecot.WriteState(PrivateDovecot.InitialState + "dave migratd\n");

        Assert.Contains("mail/Archive", MailClients.ListMailboxes(dovecot, dovecot.Alice));
        Assert.Contains("mail/Archive", MailClients.ListMailboxes(dovecot, dovecot.Bob));
        Assert.DoesNotContain("Documents", MailClients.ListMailboxes(dovecot, dovecot.Bob));
    }

    public void Dispose()
    {
        dovecot.RestoreState();
        GC.SuppressFinalize(this);
    }
}

/// <summary>On Debian 12's Dovecot 2.3.</summary>
public sealed class MalformedLineRefusesOnlyThatUserOnDovecot23(PrivateDovecot23 dovecot) : MalformedLineRefusesOnlyThatUser(dovecot), IClassFixture<PrivateDovecot23>;

/// <summary>On Debian 13's Dovecot 2.4, in the cached Debian 13 tree.</summary>
public sealed class MalformedLineRefusesOnlyThatUserOnDovecot24(PrivateDovecot24 dovecot) : MalformedLineRefusesOnlyThatUser(dovecot), IClassFixture<PrivateDovecot24>;

/// <summary>On Debian forky's Dovecot 2.4.5, in the cached forky tree.</summary>
public sealed class MalformedLineRefusesOnlyThatUserOnDovecot245(PrivateDovecot245 dovecot) : MalformedLineRefusesOnlyThatUser(dovecot), IClassFixture<PrivateDovecot245>;
