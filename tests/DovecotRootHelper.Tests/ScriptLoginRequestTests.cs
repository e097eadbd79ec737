using System.Text;
using DovecotRootHelper.Dovecot;

namespace DovecotRootHelper.Tests;

public class ScriptLoginRequestTests
{
    private static Dictionary<string, string> Parse(string text) => ScriptLoginRequest.ToEnvironment(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void TheEnvironmentIsWhatScriptLoginWouldHandAScript()
    {
        Dictionary<string, string> env = Parse("VERSION\tscript-login\t1\t0\n127.0.0.1\t192.0.2.7\tbob\thome=/home/bob\tuid=1001\tnokey\tsystem_groups_user=bob\n");
        Assert.Equal("127.0.0.1", env["LOCAL_IP"]);
        Assert.Equal("192.0.2.7", env["IP"]);
        Assert.Equal("bob", env["USER"]);
        Assert.Equal("/home/bob", env["HOME"]);
        Assert.Equal("1001", env["UID"]);
        Assert.Equal("bob", env["SYSTEM_GROUPS_USER"]);
        Assert.Equal("HOME UID SYSTEM_GROUPS_USER ", env["USERDB_KEYS"]);
        Assert.Equal(7, env.Count);
    }

    [Fact]
    public void FieldsAreTabUnescapedAndKeepEverythingAfterTheFirstEquals()
    {
        Dictionary<string, string> env = Parse("VERSION\tscript-login\t1\t0\n\t\tbob\tquota_rule=*:storage=1G\tx=a\u0001tb\u0001nc\u00011\n");
        Assert.Equal("*:storage=1G", env["QUOTA_RULE"]);
        Assert.Equal("a\tb\nc\u0001", env["X"]);
    }

    [Fact]
    public void TheRequestRoundTripsThroughTheReply()
    {
        Dictionary<string, string> env = Parse("VERSION\tscript-login\t1\t0\n\t\tbob\thome=/h\u0001tx\tmail=mbox:~\n");
        string reply = Encoding.UTF8.GetString(ScriptLoginReply.Format(Encoding.UTF8.GetBytes(env["USER"]), env["USERDB_KEYS"], name => env.TryGetValue(name, out string? v) ? Encoding.UTF8.GetBytes(v) : null));
        Assert.Equal("bob\thome=/h\u0001tx\tmail=mbox:~\n", reply);
    }

    [Theory]
    [InlineData("VERSION\tscript-login\t2\t0\n\t\tbob\n", "not a script-login protocol 1 request")]
    [InlineData("VERSION\tauth\t1\t0\n\t\tbob\n", "not a script-login protocol 1 request")]
    [InlineData("VERSION\tscript-login\t1\t0\n127.0.0.1\tbob\n", "fewer than 3 fields")]
    public void AnythingElseIsRefusedWithOneLine(string text, string expected)
    {
        string message = Assert.Throws<FormatException>(() => Parse(text)).Message;
        Assert.Contains(expected, message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', message);
    }

    [Theory]
    [InlineData("VERSION\tscript-login\t1\t0\n", false)]
    [InlineData("VERSION\tscript-login\t1\t0\n\t\tbob", false)]
    [InlineData("VERSION\tscript-login\t1\t0\n\t\tbob\n", true)]
    public void ARequestIsCompleteAfterItsSecondLine(string text, bool complete) =>
        Assert.Equal(complete, ScriptLoginRequest.IsComplete(Encoding.UTF8.GetBytes(text)));

    // Found by fuzzing (tests/DovecotRootHelper.Fuzz, target script-login): a NUL, which execve would cut
    // a value at, and bytes that are not UTF-8, which decoding turned into U+FFFD (another USER), were accepted.
    [Theory]
    [InlineData(new byte[] { 0 }, "request holds a NUL byte")]
    [InlineData(new byte[] { (byte)'x', 0, (byte)'y' }, "request holds a NUL byte")]
    [InlineData(new byte[] { 0xff }, "request is not valid UTF-8")]
    [InlineData(new byte[] { 0xc3, (byte)'x' }, "request is not valid UTF-8")]
    public void ANulOrAByteThatIsNotUtf8IsRefused(byte[] user, string expected)
    {
        byte[] request = [.. "VERSION\tscript-login\t1\t0\n127.0.0.1\t192.0.2.7\tal"u8, .. user, .. "ice\thome=/home/alice\n"u8];
        Assert.Equal(expected, Assert.Throws<FormatException>(() => ScriptLoginRequest.ToEnvironment(request)).Message);
    }

    // Found by fuzzing: "=value" became a variable with an empty name.
    [Fact]
    public void AFieldWithNothingBeforeItsEqualsIsSkippedLikeOneWithoutEquals()
    {
        Dictionary<string, string> env = Parse("VERSION\tscript-login\t1\t0\n\t\tbob\t=x\thome=/h\n");
        Assert.False(env.ContainsKey(""));
        Assert.Equal("HOME ", env["USERDB_KEYS"]);
    }
}
