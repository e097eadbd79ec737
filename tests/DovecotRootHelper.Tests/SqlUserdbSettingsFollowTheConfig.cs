using DovecotRootHelper.Configuration;
using DovecotRootHelper.Dovecot;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Tests;

/// <summary>
/// The row imaproot writes for Dovecot's sql userdb (schema version 2): the config's rule and
/// locations, with every variable spelling (<c>%u %n %d %h %%</c>, <c>%{user}</c>...) in the one
/// spelling the schema expands, on both generations; ~ left for Dovecot.
/// </summary>
public sealed class SqlUserdbSettingsFollowTheConfig
{
    private static SqlUserdbSettings From(string text) =>
        SqlUserdbSettings.From(HelperConfig.Parse(System.Text.Encoding.UTF8.GetBytes(text), "/etc/drh.conf"));

    [Fact]
    public void On23TheMailFieldCarriesEveryVariableInTheSchemasSpelling()
    {
        SqlUserdbSettings row = From("[dovecot]\nversion = 2.3\n[state]\nfile = /x/state\ndefault = legacy\nmigrated-from-uid = 2000\n"
            + "[locations]\nlegacy = maildir:%h/Maildir:INDEX=/idx/%d/%n/%%\nmigrated = mbox:~/IMAP:INBOX=/var/mail/%{user}:CONTROL=/c/%{domain}/%{username}\n");

        Assert.Equal(new SqlUserdbSettings(UserState.Legacy, 2000,
            "mail=maildir:%{home}/Maildir:INDEX=/idx/%{domain}/%{username}/%%",
            "mail=mbox:~/IMAP:INBOX=/var/mail/%{user}:CONTROL=/c/%{domain}/%{username}",
            "Mailboxes are being moved, please try again in a few minutes"), row);
    }

    [Fact]
    public void On24EveryLocationSettingIsAFieldAndLegacyUnsetIsNull()
    {
        SqlUserdbSettings row = From("[dovecot]\nversion = 2.4.5\n[state]\nfile = /x/state\ndefault = migrated\n"
            + "[locations]\nmigrated = sdbox:~/IMAP:INBOX=/var/mail/%u:LAYOUT=fs\n");

        Assert.Equal(UserState.Migrated, row.DefaultState);
        Assert.Null(row.MigratedFromUid);
        Assert.Null(row.LegacyFields);
        Assert.Equal(["mail_driver=sdbox", "mail_path=~/IMAP", "mail_inbox_path=/var/mail/%{user}"], row.MigratedFields.Split('\t')[..3]);
        Assert.Contains("mailbox_list_layout=fs", row.MigratedFields.Split('\t'));
        Assert.DoesNotContain(" ", row.MigratedFields, StringComparison.Ordinal);
    }

    [Fact]
    public void EachTargetCarriesItsFieldsInTheConfigsOrder()
    {
        const string Config = "[dovecot]\nversion = 2.3\n[state]\nfile = /x/state\n[locations]\nmigrated = mbox:~/IMAP:INBOX=/var/mail/%u\n"
            + "mdbox = mdbox:%h/mdbox:INDEX=/idx/%n\nmaildir = maildir:~/Maildir:LAYOUT=fs\n";
        SqlUserdbSettings row = From(Config);

        Assert.Equal([KeyValuePair.Create("mdbox", "mail=mdbox:%{home}/mdbox:INDEX=/idx/%{username}"), KeyValuePair.Create("maildir", "mail=maildir:~/Maildir:LAYOUT=fs")], row.Targets);
        Assert.Equal("mail=mbox:~/IMAP:INBOX=/var/mail/%{user}", row.MigratedFields);
        // Equal rows are equal records (the targets compared by content), a changed target is not.
        Assert.Equal(From(Config), row);
        Assert.NotEqual(From(Config.Replace("LAYOUT=fs", "LAYOUT=index", StringComparison.Ordinal)), row);
        Assert.Empty(From("[state]\nfile = /x/state\n").Targets);
    }
}
