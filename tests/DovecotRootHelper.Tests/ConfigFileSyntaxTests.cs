using System.Text;
using DovecotRootHelper.Configuration;

namespace DovecotRootHelper.Tests;

/// <summary>Issue 10, defects 7, 11 and 13: a bad config line is one line in words, with its number.</summary>
public class ConfigFileSyntaxTests
{
    private static string ParseFails(string ini) =>
        Assert.Throws<ConfigException>(() => HelperConfig.Parse(Encoding.UTF8.GetBytes(ini), "/etc/drh.conf")).Message;

    [Fact]
    public void ALineThatIsNoSettingIsNamedWithItsNumber() =>
        Assert.Equal("/etc/drh.conf:3: not a [section], a comment or a 'key = value' line: 'garbage line here'",
            ParseFails("[state]\nfile = /var/lib/drh/state\ngarbage line here\n"));

    [Fact]
    public void AnUnclosedSectionIsNamedWithItsNumber() =>
        Assert.Equal("/etc/drh.conf:1: not a [section], a comment or a 'key = value' line: '[state'", ParseFails("[state\nfile = x\n"));

    [Fact]
    public void ASettingGivenTwiceNamesBothLines() =>
        Assert.Equal("/etc/drh.conf:4: [state] FILE is set again (first at line 2)",
            ParseFails("[state]\nfile = /var/lib/drh/state\n# again\nFILE = /tmp/other\n"));

    [Fact]
    public void ASectionOpenedAgainStillCountsItsKeysOnce() =>
        Assert.Equal("/etc/drh.conf:4: [LOG] decisions is set again (first at line 2)",
            ParseFails("[log]\ndecisions = no\n[LOG]\ndecisions = yes\n"));

    [Theory]
    [InlineData("[state]\nfile = /var/lib/\0drh/state\n", "0x00")]
    [InlineData("[state]\nfile = /var/lib/\u001bdrh/state\n", "0x1b")]
    [InlineData("[state]\nfile = /var/lib/\u007fdrh/state\n", "0x7f")]
    public void AControlByteInAValueIsRefused(string ini, string named) =>
        Assert.Equal($"/etc/drh.conf:2: control byte {named}", ParseFails(ini));

    [Fact]
    public void TabsAndCrlfLineEndsAreFine() =>
        Assert.Equal("/var/lib/drh/state", HelperConfig.Parse(Encoding.UTF8.GetBytes("[state]\r\nfile\t=\t/var/lib/drh/state\r\n"), "/etc/drh.conf").StateFile);

    [Fact]
    public void ABytesThatAreNotUtf8AreRefused() =>
        Assert.Equal("/etc/drh.conf: not valid UTF-8", Assert.Throws<ConfigException>(() => HelperConfig.Parse(new byte[] { 0x5b, 0xff, 0x5d, 0x0a }, "/etc/drh.conf")).Message);

    [Fact]
    public void AConfigLargerThanAnyConfigIsRefusedBeforeItIsRead()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("drh.conf", "# " + new string('x', ConfigFileSyntax.MaxSize) + "\n");
        ConfigException e = Assert.Throws<ConfigException>(() => HelperConfig.Load(path));
        Assert.Equal($"{path}: {ConfigFileSyntax.MaxSize + 3} bytes, more than it can be ({ConfigFileSyntax.MaxSize})", e.Message);
    }
}
