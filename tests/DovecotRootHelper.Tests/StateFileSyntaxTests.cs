using System.Text;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Tests;

public class StateFileSyntaxTests
{
    private const string Path = "/x/state";

    private static StateEntry? Find(string content, string user) =>
        StateFileSyntax.FindUser(Encoding.UTF8.GetBytes(content), Encoding.UTF8.GetBytes(user), Path);

    private static StateFileException FindFails(string content, string user) =>
        Assert.Throws<StateFileException>(() => Find(content, user));

    [Fact]
    public void FindsTheUsersLineWithItsStateAndLineNumber()
    {
        StateEntry? entry = Find("# header\nalice legacy\nbob migrated 2026-11-28 root moved\n", "bob");
        Assert.NotNull(entry);
        Assert.Equal(UserState.Migrated, entry.State);
        Assert.Equal(3, entry.Line);
        Assert.Equal("2026-11-28 root moved", entry.Note);
    }

    [Theory]
    [InlineData("alice\tmigrating\n")]
    [InlineData("   alice   migrating   \n")]
    [InlineData("alice migrating\r\n")]
    [InlineData("bob legacy\nalice migrating")]
    public void AcceptsTabsLeadingBlanksCrlfAndAMissingFinalNewline(string content) =>
        Assert.Equal(UserState.Migrating, Find(content, "alice")?.State);

    [Theory]
    [InlineData("alice2 migrated\n")]
    [InlineData("xalice migrated\n")]
    [InlineData("# alice migrated\n")]
    [InlineData("bob migrated alice\n")]
    [InlineData("")]
    public void IgnoresOtherUsersCommentsAndNotes(string content) => Assert.Null(Find(content, "alice"));

    [Fact]
    public void AUserListedTwiceIsAnErrorNamingBothLines()
    {
        StateFileException e = FindFails("alice legacy\nbob legacy\nalice migrated\n", "alice");
        Assert.Equal(3, e.Line);
        Assert.Contains("first at line 1", e.Message, StringComparison.Ordinal);
        Assert.StartsWith("/x/state:3: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownStateIsAnErrorNamingTheLine()
    {
        StateFileException e = FindFails("bob legacy\nalice migratd\n", "alice");
        Assert.Equal(2, e.Line);
        Assert.Contains("unknown state 'migratd'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AUserWithoutAStateIsAnError() => Assert.Equal(1, FindFails("alice\n", "alice").Line);

    [Fact]
    public void StatesAreCaseSensitive() => FindFails("alice Migrated\n", "alice");

    [Fact]
    public void ANulByteAnywhereMakesTheFileUntrustedForEveryone()
    {
        StateFileException e = FindFails("bob legacy\n\0\0\0\0\nalice migrated\n", "alice");
        Assert.Equal(2, e.Line);
        Assert.Contains("control byte 0x00", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidUtf8IsReportedByTheFullCheck() =>
        Assert.Contains("not valid UTF-8", StateFileSyntax.ParseAll([0x61, 0x20, 0xFF, 0xFE, 0x0A], Path).Problems.Single().Message, StringComparison.Ordinal);

    [Fact]
    public void WithoutLineCountingTheEntryHasNoLineButErrorsStillNameTheirLine()
    {
        Assert.Equal(0, StateFileSyntax.FindUser("a legacy\nalice migrated\n"u8, "alice"u8, Path, countLines: false)?.Line);
        StateFileException e = Assert.Throws<StateFileException>(() => StateFileSyntax.FindUser("alice legacy\nb x\nalice migrated\n"u8, "alice"u8, Path, countLines: false));
        Assert.Equal(3, e.Line);
        Assert.Contains("first at line 1", e.Message, StringComparison.Ordinal);
        Assert.Equal(2, Assert.Throws<StateFileException>(() => StateFileSyntax.FindUser("b x\nalice bogus\n"u8, "alice"u8, Path, countLines: false)).Line);
    }

    [Fact]
    public void NonAsciiUserNamesAreFound() => Assert.Equal(UserState.Migrated, Find("jürgen migrated\n", "jürgen")?.State);

    [Fact]
    public void ParseAllReportsEveryProblemNotOnlyTheFirst()
    {
        StateFileContents contents = StateFileSyntax.ParseAll(
            Encoding.UTF8.GetBytes("alice legacy\nbob\ncarol weird\nalice migrated\n\n# ok\ndave migrated\n"), Path);
        Assert.Equal([2, 3, 4], contents.Problems.Select(p => p.Line));
        Assert.Equal(["alice", "dave"], contents.Entries.Select(e => e.User));
        Assert.False(contents.IsValid);
    }

    [Theory]
    [InlineData("alice", true)]
    [InlineData("alice@example.com", true)]
    [InlineData("", false)]
    [InlineData("a b", false)]
    [InlineData("a\tb", false)]
    [InlineData("#alice", false)]
    [InlineData("a\nb", false)]
    [InlineData("../etc", false)]
    [InlineData("a/b", false)]
    public void UserNamesTheFileCanHold(string user, bool valid) => Assert.Equal(valid, StateFileSyntax.IsValidUserName(user));
}
