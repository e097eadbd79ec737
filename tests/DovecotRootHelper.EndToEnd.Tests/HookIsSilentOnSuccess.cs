using DovecotRootHelper.EndToEnd.Tests.Infrastructure;

namespace DovecotRootHelper.EndToEnd.Tests;

/// <summary>The hook's stdout is the client's socket: on a successful login it writes nothing there (nor on stderr).</summary>
public abstract class HookIsSilentOnSuccess(PrivateDovecot dovecot)
{
    [Theory]
    [InlineData("alice")]
    [InlineData("bob")]
    [InlineData("dave")]
    public void ImapLoginReplyIsTheTaggedOkAlone(string user)
    {
        long log = dovecot.LogLength();
        using var client = RawLineClient.Connect(dovecot.ImapPort);

        client.Send($"a LOGIN {user} secret");
        string? reply = client.ReadLine();
        client.Send("b NOOP");
        string? noop = client.ReadLine();
        client.Send("c LOGOUT");
        List<string> bye = client.ReadToClose();

        Assert.NotNull(reply);
        Assert.StartsWith("a OK [CAPABILITY IMAP4rev1 ", reply, StringComparison.Ordinal);
        Assert.EndsWith("] Logged in", reply, StringComparison.Ordinal);
        Assert.StartsWith("b OK NOOP completed", noop, StringComparison.Ordinal);
        Assert.Equal("* BYE Logging out", bye[0]);
        Assert.StartsWith("c OK Logout completed", bye[1], StringComparison.Ordinal);
        Assert.Equal(2, bye.Count);
        string written = dovecot.WaitForLog(log, $"imap({user})");
        Assert.DoesNotContain("dovecot-root-helper", written, StringComparison.Ordinal);
    }

    [Fact]
    public void Pop3PassReplyIsTheOkAlone()
    {
        using var client = RawLineClient.Connect(dovecot.Pop3Port);

        client.Send("USER alice");
        Assert.Equal("+OK", client.ReadLine());
        client.Send("PASS secret");
        Assert.Equal("+OK Logged in.", client.ReadLine());
        client.Send("STAT");
        Assert.StartsWith("+OK 1 ", client.ReadLine(), StringComparison.Ordinal);
        client.Send("QUIT");
        Assert.Equal(["+OK Logging out."], client.ReadToClose());
    }
}

/// <summary>On Debian 12's Dovecot 2.3.</summary>
public sealed class HookIsSilentOnSuccessOnDovecot23(PrivateDovecot23 dovecot) : HookIsSilentOnSuccess(dovecot), IClassFixture<PrivateDovecot23>;

/// <summary>On Debian 13's Dovecot 2.4, in the cached Debian 13 tree.</summary>
public sealed class HookIsSilentOnSuccessOnDovecot24(PrivateDovecot24 dovecot) : HookIsSilentOnSuccess(dovecot), IClassFixture<PrivateDovecot24>;

/// <summary>On Debian forky's Dovecot 2.4.5, in the cached forky tree.</summary>
public sealed class HookIsSilentOnSuccessOnDovecot245(PrivateDovecot245 dovecot) : HookIsSilentOnSuccess(dovecot), IClassFixture<PrivateDovecot245>;
