using System.Text;
using DovecotRootHelper.Configuration;
using DovecotRootHelper.Locations;

namespace DovecotRootHelper.Tests;

/// <summary>
/// Issue 10, defect 11: settings and homes the hook used to serve although no administrator means
/// them: refused at load (or, for a home, at the login) in one line, as imaproot refuses locations
/// outside the home.
/// </summary>
public class PathsThatCannotBeMeantTests
{
    private static string ParseFails(string ini) =>
        Assert.Throws<ConfigException>(() => HelperConfig.Parse(Encoding.UTF8.GetBytes(ini), "/etc/drh.conf")).Message;

    // A relative [state] file or journal-dir: RelativeConfigPathsAreRefused.

    [Theory]
    [InlineData("mbox:relative/path", "'relative/path' is a relative path")]
    [InlineData("mbox:~/../../etc", "'~/../../etc' climbs out with '..'")]
    [InlineData("mbox:/srv/mail/%u/../../etc", "climbs out with '..'")]
    [InlineData("mbox:~/IMAP:INBOX=spool/%u", "INBOX: 'spool/%u' is a relative path")]
    [InlineData("mbox:~/IMAP:INDEX=/var/idx/../../etc", "INDEX: '/var/idx/../../etc' climbs out")]
    public void ATemplateThatIsRelativeOrClimbsOutIsRefused(string template, string problem)
    {
        string message = ParseFails($"[locations]\nmigrated = {template}\n");
        Assert.StartsWith($"/etc/drh.conf:2: [locations] migrated = {template}: ", message, StringComparison.Ordinal);
        Assert.Contains(problem, message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mbox:~/IMAP:INBOX=/var/mail/%u")]
    [InlineData("mbox:%h/mail:INBOX=/var/mail/%u")]
    [InlineData("maildir:%{home}/Maildir:LAYOUT=fs")]
    [InlineData("mbox:/srv/mail/%u:SUBSCRIPTIONS=subs..old")]
    public void AnchoredTemplatesAreAccepted(string template) => Assert.Equal(template, LocationTemplate.Parse(template).Text);

    [Theory]
    [InlineData("//", "is the root directory")]
    [InlineData("/", "is the root directory")]
    [InlineData("/home/../etc", "climbs out with '..'")]
    public void AHomeThatIsNoHomeIsRefusedAtTheLogin(string home, string problem)
    {
        LocationException e = Assert.Throws<LocationException>(() => LocationTemplate.Parse("mbox:~/IMAP").Expand("alice", home));
        Assert.Equal($"user alice's home '{home}' {problem}", e.Message);
    }

    [Fact]
    public void ATrailingSlashOnAHomeIsStillTheHome() =>
        Assert.Equal("/home/alice/IMAP", LocationTemplate.Parse("mbox:~/IMAP").Expand("alice", "/home/alice/").Path);
}
