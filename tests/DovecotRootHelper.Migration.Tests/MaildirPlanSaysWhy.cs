namespace DovecotRootHelper.Migration.Tests;

/// <summary>Issue 12 item 6: a user whose mail is not mbox is not migrated, and plan says exactly why in one line.</summary>
public class MaildirPlanSaysWhy
{
    [Theory]
    [InlineData("maildir:~/Maildir", "alice: the legacy location maildir:{HOME}/Maildir is a Maildir, whose root is {HOME}/Maildir, not the home: Dovecot never walks the home, so there is nothing to migrate")]
    [InlineData("maildir:~:LAYOUT=fs", "alice: the legacy location maildir:{HOME} is a Maildir rooted at the home: Dovecot does walk the home there, but imaproot moves only mbox mailboxes, not Maildir folders; not migrated")]
    [InlineData("maildir:~", "alice: the legacy location maildir:{HOME} is a Maildir rooted at the home")]
    [InlineData("sdbox:~/dbox", "alice: the legacy location sdbox:{HOME}/dbox is sdbox, whose root is a directory of its own, not the home: there is nothing to migrate")]
    public void TheReasonIsOneLine(string legacy, string reason)
    {
        using var home = new TestHome();
        home.Mbox("Archive");
        home.Subscribe("Archive");
        var config = home.Config with { Legacy = Locations.LocationTemplate.Parse(legacy) };
        var migration = new UserMigration(config) { FindAccount = home.Migration.FindAccount };
        string message = Assert.Throws<MigrationException>(() => migration.Plan(TestHome.User, MailboxSelection.None)).Message;
        Assert.StartsWith(reason.Replace("{HOME}", home.Home, StringComparison.Ordinal), message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', message);
    }
}
