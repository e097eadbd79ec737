using DovecotRootHelper.EndToEnd.Tests.Infrastructure;

namespace DovecotRootHelper.EndToEnd.Tests;

/// <summary>
/// With the hook in either checkpassword role each user gets the root its state names, under the
/// mailbox names it always had; a user being migrated is told to come back later.
/// </summary>
public abstract class CheckpasswordDecidesTheRoot(CheckpasswordDovecot dovecot)
{
    /// <summary>What a login sees in $HOME (one message a mailbox): the legacy root.</summary>
    protected static readonly string[] HomeRoot = ["Archive 1", "INBOX 1", "mail -", "mail/Lists 1"];

    /// <summary>What a login sees in $HOME/IMAP (two messages a mailbox): the migrated root, same names.</summary>
    protected static readonly string[] ImapRoot = ["Archive 2", "INBOX 1", "mail -", "mail/Lists 2"];

    protected CheckpasswordDovecot Dovecot => dovecot;

    /// <summary>
    /// Whether a refused user's connection may simply be closed. A failed userdb lookup is often
    /// only seen by the imap process after imap-login handed the client over, and Dovecot 2.3 then
    /// closes the connection rather than answering (23 of 30 logins by hand here; the other 7 got
    /// "NO [UNAVAILABLE] Internal error"). Either way the client is not told its password is wrong.
    /// </summary>
    protected virtual bool RefusalMayBeADisconnect => false;

    [Fact]
    public void LegacyUserSeesTheHomeDirectory()
    {
        Assert.Equal(HomeRoot, MailClients.MessageCounts(dovecot, dovecot.Legacy));
    }

    [Fact]
    public void MigratedUserSeesTheImapSubdirectoryUnderTheSameNames()
    {
        // The copies left in $HOME, and IMAP itself, do not show.
        Assert.Equal(ImapRoot, MailClients.MessageCounts(dovecot, dovecot.Migrated));
    }

    [Fact]
    public void MigratingUserIsRefusedTemporarily()
    {
        long log = dovecot.LogLength();

        (Exception error, string transcript) = MailClients.RefusedLogin(dovecot, dovecot.Moving.Name, TestUser.Password);

        bool disconnected = error is MailKit.Net.Imap.ImapProtocolException && error.Message.Contains("unexpectedly disconnected", StringComparison.Ordinal);
        if (!(disconnected && RefusalMayBeADisconnect))
            Assert.Contains("[UNAVAILABLE]", error.Message + "\n" + transcript, StringComparison.Ordinal);
        Assert.DoesNotContain("[AUTHENTICATIONFAILED]", transcript, StringComparison.Ordinal);
        dovecot.WaitForLog(log, $"for {dovecot.Moving.Name} failed temporarily: state migrating");
    }
}
