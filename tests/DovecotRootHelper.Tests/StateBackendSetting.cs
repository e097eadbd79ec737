using System.Text;
using DovecotRootHelper.Configuration;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Tests;

/// <summary><c>[state] backend</c>: file by default, postgresql only with its connection and without the passwd-file userdb.</summary>
public class StateBackendSetting
{
    private const string Conninfo = "[postgresql]\nconninfo-file = /etc/dovecot-root-helper.pgconn\n";

    [Fact]
    public void FileByDefault()
    {
        Assert.Equal(StateBackend.File, Parse("[state]\nfile = /srv/state\n").Backend);
        Assert.Equal(StateBackend.File, Parse("[state]\nbackend = file\n").Backend);
    }

    [Fact]
    public void PostgresqlWithItsConnection()
    {
        Assert.Equal(StateBackend.Postgresql, Parse("[state]\nbackend = postgresql\n" + Conninfo).Backend);
        Assert.Equal(StateBackend.Postgresql, LoginSettings.Parse(Encoding.UTF8.GetBytes("[state]\nbackend = postgresql\n"), "/etc/drh.conf").Backend);
    }

    [Theory]
    [InlineData("[state]\nbackend = postgres\n" + Conninfo, "/etc/drh.conf:2: [state] backend = postgres: expected file or postgresql")]
    [InlineData("[state]\nbackend = postgresql\n", "/etc/drh.conf: [state] backend = postgresql needs [postgresql] conninfo-file: the file saying how imaproot reaches the database")]
    [InlineData("[state]\nbackend = postgresql\nuserdb = /var/lib/dovecot-root-helper/userdb\n" + Conninfo, "/etc/drh.conf: [state] backend = postgresql with [state] userdb: Dovecot's sql userdb reads the database, and the passwd-file userdb would never change again; remove [state] userdb")]
    public void AnythingElseIsOneLine(string ini, string message)
    {
        ConfigException e = Assert.Throws<ConfigException>(() => Parse(ini));
        Assert.Equal(message, e.Message);
    }

    private static HelperConfig Parse(string ini) => HelperConfig.Parse(Encoding.UTF8.GetBytes(ini), "/etc/drh.conf");
}
