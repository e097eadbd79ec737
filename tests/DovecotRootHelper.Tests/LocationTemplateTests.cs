using DovecotRootHelper.Dovecot;
using DovecotRootHelper.Locations;

namespace DovecotRootHelper.Tests;

public class LocationTemplateTests
{
    private static LocationTemplate Parse(string text) => LocationTemplate.Parse(text);

    [Fact]
    public void TheLegacyRootIsTheHomeDirectory()
    {
        MailLocation location = Parse("mbox:~:INBOX=/var/mail/%u").Expand("alice", "/home/alice");
        Assert.Equal("/home/alice", location.Path);
        Assert.Equal("mbox:/home/alice:INBOX=/var/mail/alice", location.ToDovecot23());
    }

    [Fact]
    public void TheMigratedRootIsTheImapSubdirectory() =>
        Assert.Equal("mbox:/home/alice/IMAP:INBOX=/var/mail/alice", Parse("mbox:~/IMAP:INBOX=/var/mail/%u").Expand("alice", "/home/alice/").ToDovecot23());

    [Fact]
    public void Dovecot23GetsOneMailField() =>
        Assert.Equal([new("mail", "mbox:/h/IMAP:INBOX=/var/mail/a")], DovecotGeneration.V23.UserdbFields(Parse("mbox:~/IMAP:INBOX=/var/mail/%u").Expand("a", "/h")));

    [Theory]
    [InlineData("%u", "bob@example.com")]
    [InlineData("%n", "bob")]
    [InlineData("%d", "example.com")]
    [InlineData("%h", "/home/bob")]
    [InlineData("%%", "%")]
    [InlineData("%{username}", "bob")]
    [InlineData("%{domain}", "example.com")]
    [InlineData("%{home}", "/home/bob")]
    public void VariablesAreFilledIn(string variable, string value) =>
        Assert.Equal("/x/" + value, Parse("mbox:/x/" + variable).Expand("bob@example.com", "/home/bob").Path);

    [Fact]
    public void DoubledColonsAreLiteralColonsAndAreWrittenBackDoubled()
    {
        MailLocation location = Parse("mbox:/srv/a::b:INBOX=/var/mail/%u").Expand("u", "/h");
        Assert.Equal("/srv/a:b", location.Path);
        Assert.Equal("mbox:/srv/a::b:INBOX=/var/mail/u", location.ToDovecot23());
    }

    [Theory]
    [InlineData("mbox", "expected DRIVER:PATH")]
    [InlineData("mbox:", "empty path")]
    [InlineData("imapc:~", "unsupported driver 'imapc'")]
    [InlineData("mbox:~:FOO=bar", "unsupported parameter 'FOO'")]
    [InlineData("mbox:~:INBOX", "parameter 'INBOX' needs a value")]
    [InlineData("mbox:~:UTF8=yes", "parameter 'UTF8' takes no value")]
    [InlineData("mbox:~:INBOX=/a:INBOX=/b", "parameter 'INBOX' given twice")]
    [InlineData("mbox:~/%x", "unsupported variable '%x'")]
    [InlineData("mbox:~/%{uid}", "unsupported variable '%{uid}'")]
    [InlineData("mbox:~/%", "a lone '%'")]
    public void ATemplateTheHookCannotHandleIsRefused(string text, string expected) =>
        Assert.Contains(expected, Assert.Throws<LocationException>(() => Parse(text)).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("relative/home")]
    [InlineData("/home/50%off")]
    public void AHomeTheLocationCannotUseIsAnError(string? home) =>
        Assert.Throws<LocationException>(() => Parse("mbox:~/IMAP").Expand("alice", home));

    [Fact]
    public void ALocationWithoutTildeNeedsNoHome() => Assert.Equal("/var/mail/alice", Parse("mbox:/var/mail/%u").Expand("alice", null).Path);
}
