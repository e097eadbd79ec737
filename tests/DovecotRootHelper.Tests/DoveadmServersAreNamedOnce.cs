using System.Text;
using DovecotRootHelper.Configuration;

namespace DovecotRootHelper.Tests;

/// <summary>
/// Issue 21: <c>[migration] doveadm-servers</c> names every server's doveadm listener once, with
/// <c>doveadm-password-file</c>; unset, kick, who and flush stay the configured commands.
/// </summary>
public class DoveadmServersAreNamedOnce
{
    private const string Path = "/etc/drh.conf";

    private static HelperConfig Parse(string migration) =>
        HelperConfig.Parse(Encoding.UTF8.GetBytes("[state]\nfile = /srv/state\n[migration]\n" + migration), Path);

    [Fact]
    public void EveryListedServerIsReadInOrder()
    {
        MigrationSettings settings = Parse("doveadm-servers = imap1.example.org:24245  [2001:db8::1]:24245\t127.0.0.1:1\ndoveadm-password-file = /etc/dovecot-root-helper.doveadm\n").Migration;

        Assert.Equal(
            [new DoveadmAddress("imap1.example.org", 24245), new DoveadmAddress("2001:db8::1", 24245), new DoveadmAddress("127.0.0.1", 1)],
            settings.DoveadmServers);
        Assert.Equal("[2001:db8::1]:24245", settings.DoveadmServers[1].ToString());
        Assert.Equal("/etc/dovecot-root-helper.doveadm", settings.DoveadmPasswordFile);
    }

    [Fact]
    public void UnsetLeavesTheCommandsAsTheyWere()
    {
        MigrationSettings settings = Parse("kick = /usr/local/sbin/every-server kick %u\n").Migration;

        Assert.Empty(settings.DoveadmServers);
        Assert.Null(settings.DoveadmPasswordFile);
        Assert.Equal("/usr/local/sbin/every-server kick %u", settings.KickCommand);
        Assert.Equal("doveadm -f flow who -1 %u", settings.WhoCommand);
    }

    [Theory]
    [InlineData("imap1", "expected host:port")]
    [InlineData(":24245", "expected host:port")]
    [InlineData("::1:24245", "expected [address]:port for an IPv6 address")]
    [InlineData("imap1:port", "expected a port number, 1 to 65535, after the ':'")]
    [InlineData("imap1:0", "expected a port number, 1 to 65535, after the ':'")]
    public void AnAddressThatIsNoHostAndPortIsNamed(string address, string problem)
    {
        ConfigException e = Assert.Throws<ConfigException>(() => Parse($"doveadm-servers = imap2:24245 {address}\ndoveadm-password-file = /etc/pw\n"));

        Assert.Equal($"{Path}:4: [migration] doveadm-servers = {address}: {problem}", Assert.Single(e.Problems).Message.Split(" (the port")[0]);
    }
}
