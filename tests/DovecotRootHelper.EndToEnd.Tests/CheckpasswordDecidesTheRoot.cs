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

        Assert.Contains("[UNAVAILABLE]", error.Message + "\n" + transcript, StringComparison.Ordinal);
        Assert.DoesNotContain("[AUTHENTICATIONFAILED]", transcript, StringComparison.Ordinal);
        dovecot.WaitForLog(log, $"for {dovecot.Moving.Name} failed temporarily: state migrating");
    }
}
