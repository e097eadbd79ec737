using System.Text;
using DovecotRootHelper.Dovecot;

namespace DovecotRootHelper.Tests;

public class ScriptLoginReplyTests
{
    private static string Format(string keys, Dictionary<string, string> variables) =>
        Encoding.UTF8.GetString(ScriptLoginReply.Format("alice"u8, keys, name => variables.TryGetValue(name, out string? value) ? Encoding.UTF8.GetBytes(value) : null));

    [Fact]
    public void TheUserThenEachSetKeyLowerCasedThenANewline() =>
        Assert.Equal("alice\thome=/home/alice\tmail=mbox:~/IMAP\n", Format("HOME MAIL", new() { ["HOME"] = "/home/alice", ["MAIL"] = "mbox:~/IMAP" }));

    [Fact]
    public void KeysAreLookedUpUpperCasedAndUnsetOnesAreLeftOut() =>
        Assert.Equal("alice\tquota_rule=*:storage=1G\n", Format("  quota_rule  NOT_SET ", new() { ["QUOTA_RULE"] = "*:storage=1G", ["quota_rule"] = "wrong" }));

    [Fact]
    public void TabNewlineReturnAndTheEscapeByteAreEscapedAsDovecotDoes() =>
        Assert.Equal("alice\tx=a\u0001tb\u0001nc\u0001rd\u00011e\n", Format("X", new() { ["X"] = "a\tb\nc\rd\u0001e" }));

    [Fact]
    public void OnlyAsciiLettersChangeCase() =>
        Assert.Equal("alice\tkéy=v\n", Format("KéY", new() { ["KéY"] = "v" }));

    [Fact]
    public void NoKeysIsJustTheUser() => Assert.Equal("alice\n", Format("", []));
}
