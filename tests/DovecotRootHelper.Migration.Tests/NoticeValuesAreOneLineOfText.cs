using Mono.Unix.Native;

namespace DovecotRootHelper.Migration.Tests;

/// <summary>
/// A notice is read by sendmail -t, which takes its recipients from the headers: every value put
/// into a template is one line of printable text, the outcome's reason (which quotes names a user
/// chose) never reaches a header, and the template itself is trusted only as the config is.
/// </summary>
public sealed class NoticeValuesAreOneLineOfText : IDisposable
{
    private static readonly DateTime At = new(2030, 6, 1, 9, 30, 0, DateTimeKind.Utc);
    private readonly TempDirectory _directory = new();

    [Fact]
    public void TheReasonIsOneEscapedLineInTheBodyAndOnlyNotDoneInTheHeaders()
    {
        string template = _directory.Write("after.txt", "To: %u\nSubject: %o\nX-Outcome: %o\n\n%o\nend\n");
        MigrationNotice notice = MigrationNotice.ComposeAfter(template, "alice", At, "alice: IMAP/x\r\nBcc: eve@example.org\u2028\u0085\u001b[31m: in the way");
        Assert.Equal("To: alice\nSubject: not done\nX-Outcome: not done\n\nnot done: alice: IMAP/x\\x0d\\x0aBcc: eve@example.org\\u2028\\x85\\x1b[31m: in the way\nend\n", notice.Text);
    }

    [Fact]
    public void ADoneMigrationIsDoneEverywhere()
    {
        string template = _directory.Write("after.txt", "To: %u\nSubject: %o\n\n%o at %T (100%%)\n");
        Assert.Equal("To: alice\nSubject: done\n\ndone at 2030-06-01 09:30 UTC (100%)\n", MigrationNotice.ComposeAfter(template, "alice", At, null).Text);
    }

    [Fact]
    public void EveryValueIsEscapedAndBoundedWhereverItStands()
    {
        string template = _directory.Write("before.txt", "To: %u\n\nHello %u\n");
        Assert.Equal("To: a\\x0aBcc: b\n\nHello a\\x0aBcc: b\n", MigrationNotice.Compose(template, "a\nBcc: b", At).Text);

        string after = _directory.Write("after.txt", "To: %u\n\n[%o]\n");
        string text = MigrationNotice.ComposeAfter(after, "alice", At, new string('x', 5000)).Text;
        string line = text.Split('\n')[2];
        Assert.Equal("[not done: " + new string('x', MigrationNotice.MaxValueLength - "not done: ".Length) + "...]", line);
    }

    [Fact]
    public void ATemplateOthersCanWriteIsRefused()
    {
        string owned = _directory.Write("owned.txt", "To: %u\n\nbody\n");
        Assert.Equal(0, Syscall.chown(owned, 23001, 23001));
        MigrationException e = Assert.Throws<MigrationException>(() => MigrationNotice.Compose(owned, "alice", At));
        Assert.Equal($"{owned}: refused: owned by uid 23001, must be root or uid 0; a notice template must be a regular file of root's that nobody else may write: nothing was sent", e.Message);

        string writable = _directory.Write("writable.txt", "To: %u\n\nbody\n", (UnixFileMode)0x1B4);
        Assert.StartsWith($"{writable}: refused: mode 664 lets others than its owner write it;", Assert.Throws<MigrationException>(() => MigrationNotice.Compose(writable, "alice", At)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASymlinkOrAFifoInPlaceOfTheTemplateIsRefusedAtOnce()
    {
        string real = _directory.Write("real.txt", "To: %u\n\nbody\n");
        string link = Path.Combine(_directory.Path, "link.txt");
        Assert.Equal(0, Syscall.symlink(real, link));
        Assert.StartsWith($"{link}: cannot open: ", Assert.Throws<MigrationException>(() => MigrationNotice.Compose(link, "alice", At)).Message, StringComparison.Ordinal);

        string fifo = Path.Combine(_directory.Path, "fifo.txt");
        Assert.Equal(0, Syscall.mkfifo(fifo, FilePermissions.S_IRUSR | FilePermissions.S_IWUSR));
        Assert.StartsWith($"{fifo}: refused: not a regular file (a FIFO);", Assert.Throws<MigrationException>(() => MigrationNotice.Compose(fifo, "alice", At)).Message, StringComparison.Ordinal);
    }

    public void Dispose() => _directory.Dispose();
}
