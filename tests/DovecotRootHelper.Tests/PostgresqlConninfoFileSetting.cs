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

    [Fact]
    public void TheDovecotRoleIsRead()
    {
        HelperConfig config = HelperConfig.Parse(Encoding.UTF8.GetBytes("[postgresql]\ndovecot-role = dovecot_auth\n"), "/etc/drh.conf");
        Assert.Equal("dovecot_auth", config.PostgresqlDovecotRole);
        Assert.Null(HelperConfig.Parse(Encoding.UTF8.GetBytes("[state]\nfile = /srv/state\n"), "/etc/drh.conf").PostgresqlDovecotRole);
    }

    [Theory]
    [InlineData("Dovecot")]
    [InlineData("dovecot; DROP TABLE x")]
    [InlineData("1dovecot")]
    public void ADovecotRoleThatIsNoPlainNameIsAConfigErrorWithItsLine(string role)
    {
        ConfigException error = Assert.Throws<ConfigException>(() =>
            HelperConfig.Parse(Encoding.UTF8.GetBytes($"[postgresql]\nconninfo-file = /etc/pgconn\ndovecot-role = {role}\n"), "/etc/drh.conf"));
        Assert.Equal($"/etc/drh.conf:3: [postgresql] dovecot-role = {role}: expected a PostgreSQL role name (lower-case letters, digits and _, not starting with a digit)", error.Message);
    }
}
