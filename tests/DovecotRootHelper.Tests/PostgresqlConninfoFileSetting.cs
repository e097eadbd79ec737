using System.Text;
using DovecotRootHelper.Configuration;

namespace DovecotRootHelper.Tests;

/// <summary><c>[postgresql] conninfo-file</c>: a path imaproot reads (the settings themselves are in that file, never in the config), unset by default.</summary>
public class PostgresqlConninfoFileSetting
{
    [Fact]
    public void ThePathIsRead()
    {
        HelperConfig config = HelperConfig.Parse(Encoding.UTF8.GetBytes("[postgresql]\nconninfo-file = /etc/dovecot-root-helper.pgconn\n"), "/etc/drh.conf");
        Assert.Equal("/etc/dovecot-root-helper.pgconn", config.PostgresqlConninfoFile);
    }

    [Fact]
    public void UnsetByDefault()
    {
        Assert.Null(HelperConfig.Parse(Encoding.UTF8.GetBytes("[state]\nfile = /srv/state\n"), "/etc/drh.conf").PostgresqlConninfoFile);
    }
}
