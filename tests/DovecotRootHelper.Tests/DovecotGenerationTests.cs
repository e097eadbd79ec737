using DovecotRootHelper.Dovecot;
using DovecotRootHelper.Locations;

namespace DovecotRootHelper.Tests;

/// <summary>
/// What each Dovecot generation is told for a location. On 2.4 every setting a template can carry is
/// handed over, the driver's default where the template says nothing, so that a global setting
/// (Debian 13's mail_inbox_path = /var/mail/%{user}) cannot leak into a template that leaves it out.
/// </summary>
public class DovecotGenerationTests
{
    private static Dictionary<string, string> Fields24(string template) =>
        DovecotGeneration.V24.UserdbFields(LocationTemplate.Parse(template).Expand("bob@example.com", "/home/bob"))
            .ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);

    private static readonly string[] Every24Setting =
    [
        "mail_driver", "mail_path", "mail_inbox_path", "mail_index_path", "mail_index_private_path", "mail_control_path",
        "mail_volatile_path", "mail_alt_path", "mailbox_list_layout", "mailbox_subscriptions_filename",
        "mailbox_directory_name", "mailbox_root_directory_name", "mailbox_list_utf8",
    ];

    [Fact]
    public void Dovecot23GetsOneMailFieldAndDropsMailLocation()
    {
        MailLocation location = LocationTemplate.Parse("maildir:~/Maildir:LAYOUT=fs").Expand("bob", "/home/bob");
        Assert.Equal([new("mail", "maildir:/home/bob/Maildir:LAYOUT=fs")], DovecotGeneration.V23.UserdbFields(location));
        Assert.Equal(["mail_location"], DovecotGeneration.V23.Aliases("mail"));
    }

    [Theory]
    [InlineData("mbox:~")]
    [InlineData("maildir:~/Maildir:LAYOUT=fs")]
    [InlineData("sdbox:~/sdbox")]
    [InlineData("mdbox:~/mdbox:INDEX=/var/idx/%n")]
    public void Dovecot24GetsEverySettingATemplateCanCarryWhateverItNames(string template) =>
        Assert.Equal(Every24Setting, Fields24(template).Keys);

    [Fact]
    public void EveryTemplateParameterHasA24Setting() =>
        Assert.Equal(LocationTemplate.ParameterNames.Order(StringComparer.Ordinal), Dovecot24.Settings.Select(s => s.Key).Order(StringComparer.Ordinal));

    [Fact]
    public void WhatTheTemplateSaysIsHandedOverAsIs()
    {
        var fields = Fields24("mbox:~/IMAP:INBOX=/var/mail/%{user}:INDEX=/var/idx/%n:INDEXPVT=~/pvt:CONTROL=~/ctl:VOLATILEDIR=/run/v/%n:ALT=/alt/%n:SUBSCRIPTIONS=subs:LAYOUT=fs:DIRNAME=d:MAILBOXDIR=m:UTF8");
        Assert.Equal("mbox", fields["mail_driver"]);
        Assert.Equal("/home/bob/IMAP", fields["mail_path"]);
        Assert.Equal("/var/mail/bob@example.com", fields["mail_inbox_path"]);
        Assert.Equal("/var/idx/bob", fields["mail_index_path"]);
        Assert.Equal("/home/bob/pvt", fields["mail_index_private_path"]);
        Assert.Equal("/home/bob/ctl", fields["mail_control_path"]);
        Assert.Equal("/run/v/bob", fields["mail_volatile_path"]);
        Assert.Equal("/alt/bob", fields["mail_alt_path"]);
        Assert.Equal("subs", fields["mailbox_subscriptions_filename"]);
        Assert.Equal("fs", fields["mailbox_list_layout"]);
        Assert.Equal("d", fields["mailbox_directory_name"]);
        Assert.Equal("m", fields["mailbox_root_directory_name"]);
        Assert.Equal("yes", fields["mailbox_list_utf8"]);
    }

    [Fact]
    public void MboxWithoutInboxGetsItsOwnDefaults()
    {
        var fields = Fields24("mbox:~/mail");
        Assert.Equal("inbox", fields["mail_inbox_path"]);
        Assert.Equal("fs", fields["mailbox_list_layout"]);
        Assert.Equal(".subscriptions", fields["mailbox_subscriptions_filename"]);
        AssertEmpty(fields, "mail_index_path", "mail_index_private_path", "mail_control_path", "mail_volatile_path", "mail_alt_path", "mailbox_directory_name", "mailbox_root_directory_name");
        Assert.Equal("no", fields["mailbox_list_utf8"]);
    }

    [Fact]
    public void MaildirWithLayoutFsKeepsItsInboxInTheMaildirNotInAGlobalSpool()
    {
        var fields = Fields24("maildir:~/Maildir:LAYOUT=fs");
        Assert.Equal(".", fields["mail_inbox_path"]);
        Assert.Equal("fs", fields["mailbox_list_layout"]);
        Assert.Equal("subscriptions", fields["mailbox_subscriptions_filename"]);
    }

    [Fact]
    public void MaildirWithoutLayoutIsMaildirPlusPlusWithItsInboxInTheMaildir()
    {
        var fields = Fields24("maildir:~/Maildir");
        Assert.Equal(".", fields["mail_inbox_path"]);
        Assert.Equal("maildir++", fields["mailbox_list_layout"]);
    }

    [Fact]
    public void MaildirWithLayoutIndexHasNoInboxPath() => Assert.Equal("", Fields24("maildir:~/Maildir:LAYOUT=index")["mail_inbox_path"]);

    [Theory]
    [InlineData("sdbox:~/sdbox")]
    [InlineData("mdbox:~/mdbox")]
    public void DboxGetsItsDirectoryNamesAndNoInboxPath(string template)
    {
        var fields = Fields24(template);
        Assert.Equal("", fields["mail_inbox_path"]);
        Assert.Equal("fs", fields["mailbox_list_layout"]);
        Assert.Equal("dbox-Mails", fields["mailbox_directory_name"]);
        Assert.Equal("mailboxes", fields["mailbox_root_directory_name"]);
        Assert.Equal("subscriptions", fields["mailbox_subscriptions_filename"]);
    }

    [Theory]
    [InlineData("2.3.19 (9fe2a3a2e7)", "2.3")]
    [InlineData("2.3.21.1", "2.3")]
    [InlineData("2.4.1 (7b9e4b1a8c)", "2.4")]
    [InlineData("2.4.1-4 (7d8c0e5759)", "2.4")] // Debian 13's dovecot --version
    public void AnAnnouncedVersionNamesItsGeneration(string version, string generation) =>
        Assert.Equal(generation, DovecotGeneration.OfVersion(version)?.Name);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("2.5.0")]
    [InlineData("3.0.0")]
    [InlineData("2.3")]
    [InlineData("2.30.1")]
    public void AnyOtherVersionIsNoKnownGeneration(string? version) => Assert.Null(DovecotGeneration.OfVersion(version));

    [Fact]
    public void OnlyThe23InternalsAreChecked()
    {
        Assert.True(DovecotGeneration.V23.PostLoginServiceChecked && DovecotGeneration.V23.ScriptLoginFinishChecked && DovecotGeneration.V23.HasCheckpassword);
        Assert.False(DovecotGeneration.V24.PostLoginServiceChecked || DovecotGeneration.V24.ScriptLoginFinishChecked || DovecotGeneration.V24.HasCheckpassword);
    }

    private static void AssertEmpty(Dictionary<string, string> fields, params string[] keys)
    {
        foreach (string key in keys)
            Assert.Equal("", fields[key]);
    }
}
