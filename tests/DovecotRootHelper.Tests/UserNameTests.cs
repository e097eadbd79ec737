using DovecotRootHelper.Dovecot;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Tests;

/// <summary>One user-name rule for every way a name reaches the project.</summary>
public class UserNameTests
{
    public static TheoryData<string, string> HostileNames => new()
    {
        { "", "is empty" },
        { "/", "contains '/'" },
        { "a/b", "contains '/'" },
        { "../root", "contains '/'" },
        { "..", "is not a name" },
        { ".", "is not a name" },
        { "a\0b", "control character" },
        { "\0", "control character" },
        { "a\u0001b", "control character" },
        { "a\u007fb", "control character" },
        { "a\nb", "control character" },
        { "a b", "white space" },
        { "a\tb", "white space" },
        { "-root", "starts with '-'" },
        { "-", "starts with '-'" },
        { "#alice", "starts with '#'" },
        { "a:b", "contains ':'" },
        { "a\\b", "contains '\\'" },
        { new string('a', UserName.MaxLength + 1), "is longer than 256 characters" },
        { "\uFEFFalice", "U+FEFF" },
        { "ali\u200Bce", "U+200B" },
        { "al\u00A0ice", "U+00A0" },
        { "alice\u2028", "U+2028" },
        { "a\u0085b", "U+0085" },
    };

    [Theory]
    [MemberData(nameof(HostileNames))]
    public void AHostileNameIsRefusedSayingWhy(string name, string problem) =>
        Assert.Contains(problem, UserName.Problem(name), StringComparison.Ordinal);

    [Theory]
    [InlineData("alice")]
    [InlineData("bob@example.com")]
    [InlineData("a.b-c_d")]
    [InlineData("..a")]
    [InlineData("ünïcode")]
    public void AnOrdinaryNameIsAccepted(string name) => Assert.Null(UserName.Problem(name));

    [Fact]
    public void ANameOfTheMaximumLengthIsAccepted() => Assert.Null(UserName.Problem(new string('a', UserName.MaxLength)));

    [Theory]
    [MemberData(nameof(HostileNames))]
    public void TheStateFileAndCheckpasswordApplyTheSameRule(string name, string problem)
    {
        _ = problem;
        Assert.False(StateFileSyntax.IsValidUserName(name));
        byte[] request = [.. System.Text.Encoding.UTF8.GetBytes(name), 0, 0, 0];
        if (!name.Contains('\0', StringComparison.Ordinal))
            Assert.Throws<FormatException>(() => CheckpasswordRequest.ParseUser(request));
    }

    [Theory]
    [MemberData(nameof(HostileNames))]
    public void TheRuleOnUtf8BytesSaysTheSame(string name, string problem) =>
        Assert.Equal(UserName.Problem(name), UserName.Problem(System.Text.Encoding.UTF8.GetBytes(name)) ?? throw new InvalidOperationException($"'{problem}' not found"));

    [Theory]
    [InlineData("alice")]
    [InlineData("bob@example.com")]
    [InlineData("..a")]
    [InlineData("ünïcode")]
    [InlineData("a!\"$%&'()*+,.;<=>?@[]^_`{|}~")]
    public void AnOrdinaryNameIsAcceptedAsBytesToo(string name) => Assert.Null(UserName.Problem(System.Text.Encoding.UTF8.GetBytes(name)));

    // Found by fuzzing (tests/DovecotRootHelper.Fuzz, target user-name): a stray byte decoded to U+FFFD, which the rule accepts.
    [Theory]
    [InlineData(new byte[] { 0xbe })]
    [InlineData(new byte[] { (byte)'a', (byte)'t', 0x80, 0x80 })]
    [InlineData(new byte[] { 0xc3, (byte)'a' })]
    [InlineData(new byte[] { 0xed, 0xa0, 0x80 })]
    public void ANameThatIsNotUtf8IsRefused(byte[] name) => Assert.Equal("is not valid UTF-8", UserName.Problem(name));
}
