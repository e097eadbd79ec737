using System.Text;
using DovecotRootHelper.Configuration;

namespace DovecotRootHelper.Tests;

/// <summary>
/// Issue 19, item 3: a bad value in a section only imaproot reads refused every login. Logins read
/// and validate only their own settings (<see cref="LoginSettings"/>); imaproot reads and reports
/// everything (<see cref="HelperConfig"/>), each problem with file and line.
/// </summary>
public class AdminTyposLeaveLoginsAlone
{
    private const string Path = "/etc/drh.conf";

    private const string LoginPart = "[state]\nfile = /srv/state\n";

    private static byte[] Bytes(string ini) => Encoding.UTF8.GetBytes(ini);

    public static TheoryData<string, int, string> AdminTypos => new()
    {
        { "[usage]\nwindow-days = 0\n", 4, "[usage] window-days = 0: expected 1 to 36500 days" },
        { "[usage]\nnamespace-prefix = INBOX\n", 4, "[usage] namespace-prefix = INBOX: expected it to end with the separator '/'" },
        { "[notices]\nbefore = notices/before.txt\n", 4, "[notices] before = notices/before.txt: expected an absolute path" },
        { "[migration]\nkick-timeout = -5\n", 4, "[migration] kick-timeout = -5: expected a number of seconds" },
        { "[usage]\nwindow-days = 30\nwindow-days = 60\n", 5, "[usage] window-days is set again (first at line 4)" },
        { "[notices]\nbcc = root\n", 4, "unknown setting [notices] bcc" },
        { "[dovecot]\ndoveconf = \n[state]\nuserdb = userdb\n", 6, "[state] userdb = userdb: expected an absolute path" },
        { "[postgresql]\nconninfo-file = pgconn\n", 4, "[postgresql] conninfo-file = pgconn: expected an absolute path" },
        { "[postgresql]\npassword = hunter2\n", 4, "unknown setting [postgresql] password" },
        { "[migration]\ndoveadm-servers = imap1:99999\ndoveadm-password-file = /etc/pw\n", 4, "[migration] doveadm-servers = imap1:99999: expected a port number, 1 to 65535, after the ':'" },
        { "[migration]\ndoveadm-servers = imap1:24245\n", 4, "[migration] doveadm-servers needs doveadm-password-file, the file holding the servers' doveadm_password" },
        { "[migration]\ndoveadm-password-file = /etc/pw\n", 4, "[migration] doveadm-password-file is set but doveadm-servers is not: name the servers' doveadm listeners (host:port ...) or remove the password file setting" },
        { "[migration]\ndoveadm-ca-file = /etc/ca.pem\n", 4, "[migration] doveadm-ca-file is set but doveadm-servers is not: name the servers' doveadm listeners (host:port ...) or remove the CA file setting" },
        { "[migration]\ndoveadm-servers = imap1:24245\ndoveadm-password-file = /etc/pw\ndoveadm-ca-file = ca.pem\n", 6, "[migration] doveadm-ca-file = ca.pem: expected an absolute path" },
        { "[migration]\ndoveadm-servers = imap1:24245\ndoveadm-password-file = /etc/pw\nkick = doveadm kick %u\n", 6, "[migration] kick is set, but with doveadm-servers kick, who and flush go to the servers over the doveadm protocol: remove one or the other" },
    };

    [Theory]
    [MemberData(nameof(AdminTypos))]
    public void ALoginReadsItsSettingsPastAnAdminTypo(string typo, int line, string problem)
    {
        _ = line;
        _ = problem;
        LoginSettings settings = LoginSettings.Parse(Bytes(LoginPart + typo), Path);
        Assert.Equal("/srv/state", settings.StateFile);
    }

    [Theory]
    [MemberData(nameof(AdminTypos))]
    public void ImaprootNamesTheTypoWithFileAndLine(string typo, int line, string problem)
    {
        ConfigException e = Assert.Throws<ConfigException>(() => HelperConfig.Parse(Bytes(LoginPart + typo), Path));
        Assert.Equal($"{Path}:{line}: {problem}", Assert.Single(e.Problems).Message.Split(", as Dovecot")[0]);
        Assert.Equal((Path, line), (e.Path, e.Line));
    }

    [Fact]
    public void ImaprootReportsEveryTypoAtOnce()
    {
        ConfigException e = Assert.Throws<ConfigException>(() => HelperConfig.Parse(
            Bytes("[usage]\nwindow-days = 0\n[notices]\nafter = after.txt\n[migration]\nkick-timeout = -5\n[state]\ndefault = sideways\n"), Path));
        Assert.Equal([2, 4, 6, 8], e.Problems.Select(p => p.Line).Order());
    }

    [Theory]
    [InlineData("[state]\ndefault = sideways\n", 2)]
    [InlineData("[state]\ndefualt = migrated\n", 2)]
    [InlineData("[sate]\nfile = /srv/other\n", 2)]
    [InlineData("file = /srv/other\n", 1)]
    [InlineData("[log]\ndecisions = yes\ndecisions = no\n", 3)]
    public void ATypoInTheLoginsOwnSettingsStillRefusesIt(string ini, int line) =>
        Assert.Equal(line, Assert.Throws<ConfigException>(() => LoginSettings.Parse(Bytes(ini), Path)).Line);

    // Which section a setting is in is decided by the lines before it: a line that is no setting
    // (here a broken section header) may hide where the login's own settings begin.
    [Theory]
    [InlineData("[usage]\nwindow-days: 30\n" + LoginPart, 2)]
    [InlineData("[usage]\nwindow-days = 30\n[state\nfile = /srv/state\n", 3)]
    [InlineData("[notices]\nbefore = /x\u0001\n" + LoginPart, 2)]
    public void ABrokenLineAnywhereStillRefusesALogin(string ini, int line) =>
        Assert.Equal(line, Assert.Throws<ConfigException>(() => LoginSettings.Parse(Bytes(ini), Path)).Line);

    [Fact]
    public void BothReadTheSameValues()
    {
        byte[] ini = Bytes("[dovecot]\nversion = \"2.4\"\n[locations]\nlegacy = mbox:~:INBOX=/var/mail/%{user}\n[State]\nFILE = /srv/state   # here\ndefault = migrated\nmigrated-from-uid = 2000\n[log]\ndecisions = on\n");
        LoginSettings login = LoginSettings.Parse(ini, Path);
        HelperConfig all = HelperConfig.Parse(ini, Path);
        Assert.Equal(Described(login), Described(all));
        Assert.Equal("/srv/state", login.StateFile);
        Assert.Equal("2.4", login.Generation.Name);
    }

    private static string Described(LoginSettings s) =>
        $"{s.Path} {s.Generation.Name} {s.PostLoginFinish} {s.Legacy?.Text} {s.Migrated.Text} {s.StateFile} {s.DefaultState} {s.MigratedFromUid} {s.LogDecisions}";
}
