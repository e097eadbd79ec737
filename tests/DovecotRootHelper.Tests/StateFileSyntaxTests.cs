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
        Assert.Contains("not valid UTF-8", StateFileSyntax.ParseAll(new byte[] { 0x61, 0x20, 0xFF, 0xFE, 0x0A }, Path).Problems.Single().Message, StringComparison.Ordinal);

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

public class StateFileSyntaxBoundsTests
{
    private const string Path = "/x/state";

    [Theory]
    [InlineData("\uFEFFalice legacy\n")]
    [InlineData("\u200Balice legacy\n")]
    [InlineData("  \u00A0alice legacy\n")]
    public void AnInvisibleCharacterBeforeTheFirstNameIsAProblemForTheAdminToolsAndTheHookAlike(string content)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(content);
        StateFileContents parsed = StateFileSyntax.ParseAll(bytes, Path);
        Assert.Equal(1, parsed.Problems.Single().Line);
        Assert.Contains("cannot be a user name", parsed.Problems.Single().Message, StringComparison.Ordinal);
        Assert.Empty(parsed.Entries);
        StateFileException e = Assert.Throws<StateFileException>(() => StateFileSyntax.FindUser(bytes, "alice"u8, Path));
        Assert.Equal(1, e.Line);
    }

    // Found by fuzzing (tests/DovecotRootHelper.Fuzz): a byte that is not UTF-8 before the name made the
    // first field "\uFFFDalice" once decoded, which the hook's scan passed over while the admin tools
    // refuse the file; the user then got the default state at login.
    [Theory]
    [InlineData(new byte[] { 0xbe })]
    [InlineData(new byte[] { 0xc3 })]
    [InlineData(new byte[] { 0xef, 0xbb })]
    public void AByteThatIsNotUtf8BeforeTheFirstNameIsAProblemForTheAdminToolsAndTheHookAlike(byte[] before)
    {
        byte[] bytes = [.. before, .. "alice legacy\nbob migrated\n"u8];
        Assert.False(StateFileSyntax.ParseAll(bytes, Path).IsValid);
        StateFileException e = Assert.Throws<StateFileException>(() => StateFileSyntax.FindUser(bytes, "alice"u8, Path));
        Assert.Equal(1, e.Line);
        Assert.Contains("not valid UTF-8", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALongLineFullOfTheNameIsScannedOnce()
    {
        // 4 MB of "a a a ..." after a '#': each hit used to look back to the line's start (63 s of
        // CPU for 2 MB). Done in one pass it takes milliseconds; quadratic, many minutes.
        byte[] content = [.. "#"u8, .. Enumerable.Repeat((byte)'a', 1).Concat(Enumerable.Repeat(" a"u8.ToArray(), 2 * 1024 * 1024).SelectMany(b => b)), .. "\nb legacy\n"u8];
        StateEntry? found = await Task.Run(() => StateFileSyntax.FindUser(content, "a"u8, Path)).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Null(found);
    }

    [Fact]
    public void ALineLongerThanTheLimitIsAProblemButALongCommentIsNot()
    {
        string note = new('x', StateFileSyntax.MaxLineLength);
        StateFileContents parsed = StateFileSyntax.ParseAll(Encoding.UTF8.GetBytes($"# {note}\nalice legacy {note}\nbob legacy\n"), Path);
        Assert.Equal("/x/state:2: line is longer than 65536 bytes", parsed.Problems.Single().Message);
        Assert.Equal(["bob"], parsed.Entries.Select(e => e.User));
    }

    [Fact]
    public void AFileOfDuplicatesKeepsAHundredProblemsAndCountsTheRest()
    {
        StateFileContents parsed = StateFileSyntax.ParseAll(Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("alice legacy\n", 1001))), Path);
        Assert.Equal(101, parsed.Problems.Count);
        Assert.Equal("/x/state: 900 more problem(s) not shown", parsed.Problems[^1].Message);
        Assert.Equal(["alice"], parsed.Entries.Select(e => e.User));
    }

    [Fact]
    public void EntriesKeepTheirNotesAndLineNumbersFromTheBytes()
    {
        StateFileContents parsed = StateFileSyntax.ParseAll(Encoding.UTF8.GetBytes("# c\n\n  jürgen\tmigrated   moved  2026  \r\nbob legacy\n"), Path);
        Assert.Equal([("jürgen", UserState.Migrated, 3, "moved  2026"), ("bob", UserState.Legacy, 4, "")],
            parsed.Entries.Select(e => (e.User, e.State, e.Line, e.Note)));
    }
}
