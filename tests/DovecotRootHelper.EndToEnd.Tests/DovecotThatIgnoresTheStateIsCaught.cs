using DovecotRootHelper.EndToEnd.Tests.Infrastructure;
using MailKit;
using MailKit.Net.Imap;

namespace DovecotRootHelper.EndToEnd.Tests;

/// <summary>
/// The all-services snippet installed with a userdb left before it that answers every lookup (on
/// Debian 12 the stock <c>userdb { driver = passwd }</c> of auth-system.conf.ext), so Dovecot never
/// reads what the state file decides: imaproot check says so and what to change, migrate moves
/// nothing, and a rollback finishes although Dovecot, serving the old root meanwhile, rebuilt its
/// index there: that index is set aside, never merged or deleted.
/// </summary>
public abstract class DovecotThatIgnoresTheStateIsCaught<TDovecot>(TDovecot dovecot) : IClassFixture<TDovecot>
    where TDovecot : ShadowedUserdbDovecot
{
    [Fact]
    public void CheckAndMigrateRefuseWhileAUserdbShadowsTheState()
    {
        TestUser user = dovecot.User;
        try
        {
            dovecot.ShadowTheUserdb(shadowed: true);
            ImaprootRun check = dovecot.Imaproot("check");
            Assert.NotEqual(0, check.ExitCode);
            Assert.Contains("answers before", check.Stdout, StringComparison.Ordinal);
            Assert.Contains("remove that userdb", check.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("ok:", check.Stdout, StringComparison.Ordinal);

            ImaprootRun migrate = dovecot.Imaproot("migrate", "--yes", user.Name);
            Assert.NotEqual(0, migrate.ExitCode);
            Assert.Contains("nothing was touched", migrate.Stderr, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(user.Home, "Archive")), "Archive moved although Dovecot would not look for it");
            Assert.False(Directory.Exists(Path.Combine(user.Home, "IMAP")), "IMAP created although nothing may move");
            Assert.Matches($"(?m)^{user.Name}\\s+legacy\\b", File.ReadAllText(dovecot.StatePath));
        }
        finally
        {
            dovecot.ShadowTheUserdb(shadowed: false);
        }
        ImaprootRun fixedCheck = dovecot.Imaproot("check").Succeeded();
        Assert.Contains("Dovecot runs all-services userdb", fixedCheck.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void RollbackSetsAsideTheIndexDovecotRebuiltAtTheOldRoot()
    {
        TestUser user = dovecot.User;
        Select(user, "Archive");
        Assert.True(Directory.Exists(Path.Combine(user.Home, ".imap")), "Dovecot made no index at the legacy root");
        dovecot.Imaproot("migrate", "--yes", user.Name).Succeeded();
        Assert.True(File.Exists(Path.Combine(user.Home, "IMAP", "Archive")));
        Assert.False(Directory.Exists(Path.Combine(user.Home, ".imap")));
        try
        {
            dovecot.ShadowTheUserdb(shadowed: true);
            // Dovecot now serves the old root, finds no Archive there and rebuilds the root's index.
            Select(user, "INBOX");
            Assert.True(Directory.Exists(Path.Combine(user.Home, ".imap")), "Dovecot did not serve the old root");

            ImaprootRun rollback = dovecot.Imaproot("rollback", user.Name).Succeeded();
            Assert.Contains("set aside", rollback.Stdout + rollback.Stderr, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(user.Home, "Archive")), "Archive not moved back");
            Assert.Matches($"(?m)^{user.Name}\\s+legacy\\b", File.ReadAllText(dovecot.StatePath));
            string[] setAside = Directory.GetDirectories(Path.Combine(user.Home, ".imaproot-set-aside"));
            Assert.Single(setAside);
            Assert.True(Directory.Exists(Path.Combine(setAside[0], ".imap")), "the rebuilt index was not set aside whole");
            Assert.Equal(user.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture), Command.Run("stat", ["-c", "%u", setAside[0]]).Trim());
        }
        finally
        {
            dovecot.ShadowTheUserdb(shadowed: false);
            dovecot.Imaproot("rollback", user.Name);
        }
    }

    private void Select(TestUser user, string mailbox)
    {
        using var transcript = new MemoryStream();
        using ImapClient client = MailClients.Imap(dovecot, transcript);
        client.Authenticate(user.Name, TestUser.Password);
        IMailFolder folder = client.GetFolder(mailbox);
        folder.Open(FolderAccess.ReadWrite);
        folder.Close();
        client.Disconnect(quit: true);
    }
}

public sealed class DovecotThatIgnoresTheStateIsCaughtOnDovecot23(ShadowedUserdbDovecot23 dovecot) : DovecotThatIgnoresTheStateIsCaught<ShadowedUserdbDovecot23>(dovecot);

public sealed class DovecotThatIgnoresTheStateIsCaughtOnDovecot24(ShadowedUserdbDovecot24 dovecot) : DovecotThatIgnoresTheStateIsCaught<ShadowedUserdbDovecot24>(dovecot);
