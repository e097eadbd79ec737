using System.Text;
using DovecotRootHelper.Configuration;

namespace DovecotRootHelper.PostgreSql.Tests;

/// <summary>The connection file's grammar: libpq's keys, one a line, every mistake one line naming the file and the line.</summary>
public sealed class ConninfoFileIsParsed
{
    private const string Path = "/etc/dovecot-root-helper.pgconn";

    private static ConnectionSettings Parse(string text) => ConninfoFile.Parse(Encoding.UTF8.GetBytes(text), Path);

    [Fact]
    public void EveryKeyIsRead()
    {
        ConnectionSettings settings = Parse(
            "# the state database\n\nhost = db.example.org\nport=6432\n  dbname = mailstate  \nuser = imaproot\r\n"
            + "password = s3cr=t # with a hash\nsslmode = verify-full\nsslrootcert = /etc/ssl/certs/site-ca.pem\n");
        Assert.Equal(new ConnectionSettings("db.example.org", 6432, "mailstate", "imaproot", "s3cr=t # with a hash", "verify-full", "/etc/ssl/certs/site-ca.pem") { Source = Path }, settings);
    }

    [Fact]
    public void HostPortPasswordAndTlsHaveLibpqsDefaults()
    {
        ConnectionSettings settings = Parse("dbname = mailstate\nuser = imaproot\n");
        Assert.Equal(("/run/postgresql", 5432, null, "prefer", null), (settings.Host, settings.Port, settings.Password, settings.SslMode, settings.SslRootCert));
    }

    [Fact]
    public void SeveralHostsAndTheSessionTheyMustOffer()
    {
        ConnectionSettings settings = Parse("host = pg1.example.org,pg2.example.org\ndbname = d\nuser = u\ntarget_session_attrs = read-write\n");
        Assert.Equal(("pg1.example.org,pg2.example.org", "read-write"), (settings.Host, settings.TargetSessionAttributes));
        Assert.Equal("any", Parse("dbname = d\nuser = u\n").TargetSessionAttributes);
        ConfigException e = Assert.Throws<ConfigException>(() => Parse("dbname = d\nuser = u\ntarget_session_attrs = master\n"));
        Assert.Equal($"{Path}:3: target_session_attrs = master: expected one of any, read-write, read-only, primary, standby, prefer-standby", e.Message);
    }

    [Fact]
    public void DescribeNeverShowsThePassword()
    {
        Assert.DoesNotContain("hunter2", Parse("dbname = d\nuser = u\npassword = hunter2\n").Describe(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dbname = d\nuser = u\nhost: x\n", ":3: expected key = value")]
    [InlineData("dbname = d\nuser = u\n= x\n", ":3: expected key = value")]
    [InlineData("dbname = d\nuser = u\n\nservice = x\n", ":4: unknown key 'service': expected one of host, port, dbname, user, password, sslmode, sslrootcert, target_session_attrs")]
    [InlineData("dbname = d\nuser = u\nport = 54x\n", ":3: port = 54x: expected a port number, 1 to 65535")]
    [InlineData("dbname = d\nuser = u\nport = 70000\n", ":3: port = 70000: expected a port number")]
    [InlineData("dbname = d\nuser = u\nport = -1\n", ":3: port = -1: expected a port number")]
    [InlineData("dbname = d\nuser = u\nsslmode = on\n", ":3: sslmode = on: expected one of disable, allow, prefer, require, verify-ca, verify-full")]
    [InlineData("dbname = d\nuser = u\nsslmode = verify-full\n", ":3: sslmode = verify-full: needs sslrootcert")]
    [InlineData("dbname = d\nuser = u\nsslrootcert = ca.pem\n", ":3: sslrootcert = ca.pem: expected an absolute path")]
    [InlineData("dbname = d\nuser = u\ndbname = e\n", ":3: dbname given twice (first on line 1)")]
    [InlineData("dbname = d\nuser = u\npassword =\n", ":3: password is empty")]
    [InlineData("dbname = d\nuser = u\npassword = a\u001bb\n", ":3: a control character")]
    [InlineData("user = u\n", ": no dbname line")]
    [InlineData("dbname = d\n", ": no user line")]
    public void AWrongLineIsNamedWithFileAndLine(string text, string expected)
    {
        var e = Assert.Throws<ConfigException>(() => Parse(text));
        Assert.StartsWith(Path + expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void NotUtf8IsRefused()
    {
        var e = Assert.Throws<ConfigException>(() => ConninfoFile.Parse([.. "dbname = d\nuser = "u8, 0xff, (byte)'\n'], Path));
        Assert.Equal(Path + ": not valid UTF-8", e.Message);
    }
}
