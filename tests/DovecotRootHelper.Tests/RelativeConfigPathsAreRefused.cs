using System.Text;
using DovecotRootHelper.Configuration;

namespace DovecotRootHelper.Tests;

/// <summary>
/// Found by fuzzing (tests/DovecotRootHelper.Fuzz, target config): a relative state file or journal
/// directory was accepted, and root would have followed it from whatever directory it was started in.
/// </summary>
public class RelativeConfigPathsAreRefused
{
    [Theory]
    [InlineData("[state]\nfile = Auserdb\n", "[state] file = Auserdb: expected an absolute path")]
    [InlineData("[state]\nfile = var/lib/dovecot-root-helper/state\n", "[state] file = var/lib/dovecot-root-helper/state: expected an absolute path")]
    [InlineData("[migration]\njournal-dir = 1/var\n", "[migration] journal-dir = 1/var: expected an absolute path")]
    [InlineData("[migration]\njournal-dir = kick-timeout = 10\n", "[migration] journal-dir = kick-timeout = 10: expected an absolute path")]
    [InlineData("[state]\nuserdb = userdb\n", "[state] userdb = userdb: expected an absolute path")]
    public void ARelativePathIsRefusedNamingTheSetting(string ini, string message) =>
        Assert.Equal($"/etc/drh.conf:2: {message}", Assert.Throws<ConfigException>(() => HelperConfig.Parse(Encoding.UTF8.GetBytes(ini), "/etc/drh.conf")).Message);

    [Fact]
    public void AbsolutePathsAndTheDefaultsAreAccepted()
    {
        HelperConfig config = HelperConfig.Parse(Encoding.UTF8.GetBytes("[state]\nfile = /srv/state ; here\n[migration]\njournal-dir = /srv/journal\n"), "/etc/drh.conf");
        Assert.Equal(("/srv/state", "/srv/journal"), (config.StateFile, config.Migration.JournalDirectory));
        HelperConfig defaults = HelperConfig.Parse(Encoding.UTF8.GetBytes(""), "/etc/drh.conf");
        Assert.Equal(("/var/lib/dovecot-root-helper/state", "/var/lib/dovecot-root-helper/journal"), (defaults.StateFile, defaults.Migration.JournalDirectory));
    }
}
