using System.Text.Json;

namespace DovecotRootHelper.Cli.Tests;

/// <summary>
/// imaproot schedule, schedule --list/--cancel and run-due over the real library: a durable
/// schedule, notices through a sendmail stand-in that records each mail, due users migrated as one
/// batch and taken off the schedule, after-notices with the outcome; what a user can plant (a
/// mailbox name that would forge mail headers) or an admin can get wrong (a schedule line that is
/// no user name, a deleted account, a template others can write or a FIFO) is refused in one line.
/// </summary>
public sealed class ScheduleAndRunDue : IDisposable
{
    private readonly CliHome _home = new();
    private readonly string _mails;

    public ScheduleAndRunDue()
    {
        _home.AddAccount("bob", 23002);
        string root = _home.Home.Root;
        _mails = Path.Combine(root, "mails");
        Directory.CreateDirectory(_mails);
        string sendmail = Path.Combine(root, "sendmail");
        // Records the mail it is given, one file a mail, with its arguments first.
        File.WriteAllText(sendmail, $"#!/bin/sh\nf=$(mktemp {_mails}/mail.XXXXXX)\necho \"args: $*\" > \"$f\"\ncat >> \"$f\"\n");
        File.SetUnixFileMode(sendmail, (UnixFileMode)0x1ED);
        File.WriteAllText(Path.Combine(root, "before.txt"), "To: %u\nSubject: at %T\n\nDear %u, your folders move at %t (100%% safe).\n");
        File.WriteAllText(Path.Combine(root, "after.txt"), "To: %u\nSubject: %o\n\nplanned for %T: %o\n");
        File.AppendAllText(_home.Home.ConfigPath, $"\n[notices]\nsendmail = {sendmail} -t -oi\nbefore = {root}/before.txt\nafter = {root}/after.txt\n");
    }

    [Fact]
    public void ADueScheduleIsMigratedByRunDueAndNotifiedUsersGetBothMails()
    {
        CliRun scheduled = _home.Run("schedule", "alice", "bob", "--at", "2020-03-01T02:00Z", "--notify");
        Assert.Equal(0, scheduled.ExitCode);
        Assert.Contains("alice: notice sent", scheduled.Stdout, StringComparison.Ordinal);
        Assert.Contains("bob: migration scheduled at 2020-03-01T02:00:00Z", scheduled.Stdout, StringComparison.Ordinal);
        string[] before = Mails();
        Assert.Equal(2, before.Length);
        string toAlice = Assert.Single(before, m => m.Contains("To: alice\n", StringComparison.Ordinal));
        Assert.StartsWith("args: -t -oi\n", toAlice, StringComparison.Ordinal);
        Assert.Contains("Subject: at 2020-03-01 02:00 UTC\n", toAlice, StringComparison.Ordinal);
        string local = new DateTime(2020, 3, 1, 2, 0, 0, DateTimeKind.Utc).ToLocalTime().ToString("yyyy-MM-dd HH:mm zzz", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains($"Dear alice, your folders move at {local} (100% safe).", toAlice, StringComparison.Ordinal);
        Assert.Equal("legacy", _home.Home.State());

        CliRun list = _home.Run("schedule", "--list", "--json");
        using (JsonDocument json = JsonDocument.Parse(list.Stdout))
        {
            JsonElement first = json.RootElement.GetProperty("scheduled")[0];
            Assert.Equal("2020-03-01T02:00:00Z", first.GetProperty("at").GetString());
            Assert.True(first.GetProperty("due").GetBoolean());
            Assert.True(first.GetProperty("notified").GetBoolean());
        }

        CliRun due = _home.Run("run-due");
        Assert.Equal(0, due.ExitCode);
        Assert.Contains("batch of 2 user(s)", due.Stdout, StringComparison.Ordinal);
        Assert.Equal(["alice\tmigrated", "bob\tmigrated"], _home.State.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => string.Join('\t', l.Split('\t')[..2])));
        Assert.True(File.Exists(_home.Home.PathOf("IMAP/Archive")));
        Assert.Equal("", File.ReadAllText(Path.Combine(_home.Home.Root, "journal", "schedule")));
        string[] after = Mails().Except(before).ToArray();
        Assert.Equal(2, after.Length);
        Assert.Contains(after, m => m.Contains("To: bob\nSubject: done\n\nplanned for 2020-03-01 02:00 UTC: done", StringComparison.Ordinal));

        CliRun again = _home.Run("run-due");
        Assert.Equal(0, again.ExitCode);
        Assert.Equal("run-due: no migration is due\n", again.Stdout);
    }

    [Fact]
    public void AFutureScheduleIsNotDueAndACancelledUserIsNeverMigrated()
    {
        Assert.Equal(0, _home.Run("schedule", "alice", "--at", "2999-01-01T00:00Z").ExitCode);
        Assert.Equal(0, _home.Run("schedule", "bob", "--at", "2020-01-01T00:00Z").ExitCode);
        Assert.Empty(Mails());
        Assert.Equal(0, _home.Run("schedule", "--cancel", "bob").ExitCode);
        CliRun missing = _home.Run("schedule", "--cancel", "bob");
        Assert.Equal(1, missing.ExitCode);
        missing.AssertOneErrorLine($"bob: no migration scheduled in {Path.Combine(_home.Home.Root, "journal", "schedule")}");

        var tree = _home.Tree;
        CliRun due = _home.Run("run-due");
        Assert.Equal("run-due: no migration is due\n", due.Stdout);
        Assert.Equal(tree, _home.Tree);
        Assert.Equal("alice\t2999-01-01T00:00:00Z\tnot notified\n", _home.Run("schedule", "--list").Stdout);
    }

    [Fact]
    public void DryRunPrintsTheNoticesAndSchedulesNothing()
    {
        CliRun run = _home.Run("schedule", "alice", "--at", "2030-06-01 09:30Z", "--notify", "--dry-run");
        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("---- notice to alice (not sent; nothing scheduled)\nTo: alice\nSubject: at 2030-06-01 09:30 UTC\n", run.Stdout, StringComparison.Ordinal);
        Assert.Empty(Mails());
        Assert.False(File.Exists(Path.Combine(_home.Home.Root, "journal", "schedule")));
    }

    [Fact]
    public void BadTimesAndTemplatesAreOneLineAndScheduleNothing()
    {
        CliRun bad = _home.Run("schedule", "alice", "--at", "tomorrow");
        Assert.Equal(2, bad.ExitCode);
        bad.AssertOneErrorLine("schedule: --at tomorrow: expected YYYY-MM-DDTHH:MM[:SS] in the machine's time zone, or with Z or an offset such as +01:00");

        File.WriteAllText(Path.Combine(_home.Home.Root, "before.txt"), "Subject: no recipient\n\nbody\n");
        CliRun noTo = _home.Run("schedule", "alice", "--at", "2030-01-01T00:00Z", "--notify");
        Assert.Equal(1, noTo.ExitCode);
        noTo.AssertOneErrorLine($"{Path.Combine(_home.Home.Root, "before.txt")}: the notice template has no To: header before its first blank line (write To: %u); nothing was sent");
        Assert.False(File.Exists(Path.Combine(_home.Home.Root, "journal", "schedule")));
    }

    [Fact]
    public void AScheduleLineThatIsNotOneIsRefusedWithItsLine()
    {
        Directory.CreateDirectory(Path.Combine(_home.Home.Root, "journal"));
        File.SetUnixFileMode(Path.Combine(_home.Home.Root, "journal"), (UnixFileMode)0x1C0);
        string path = Path.Combine(_home.Home.Root, "journal", "schedule");
        File.WriteAllText(path, "alice\t2020-01-01T00:00:00Z\tquiet\nbob tomorrow\n");
        File.SetUnixFileMode(path, (UnixFileMode)0x180);
        CliRun run = _home.Run("run-due");
        Assert.Equal(4, run.ExitCode);
        run.AssertOneErrorLine($"{path} line 2: not USER<TAB>YYYY-MM-DDTHH:MM:SSZ<TAB>notify|quiet[<TAB>to=TARGET]; nothing was done: fix or remove the line");
        Assert.Equal("legacy", _home.Home.State());
    }

    [Fact]
    public void AnOutcomeWithANewlineAddsNoHeaderToTheAfterNotice()
    {
        // alice plants a conflict whose error text names a mailbox holding a newline and a header.
        const string Planted = "Evil\nBcc: eve@example.org";
        _home.Home.Mbox(Planted);
        _home.Home.Index(Planted);
        _home.Home.Mbox("IMAP/" + Planted, "in the way");
        Assert.Equal(0, _home.Run("schedule", "alice", "--at", "2020-03-01T02:00Z", "--notify").ExitCode);
        string[] before = Mails();

        CliRun due = _home.Run("run-due");
        Assert.Equal(1, due.ExitCode);
        Assert.Equal("legacy", _home.Home.State());
        string mail = Assert.Single(Mails().Except(before));
        int blank = mail.IndexOf("\n\n", StringComparison.Ordinal);
        Assert.Equal(["args: -t -oi", "To: alice", "Subject: not done"], mail[..blank].Split('\n'));
        string body = mail[(blank + 2)..];
        Assert.Equal(2, body.Split('\n').Length); // one line and its end: the outcome is one line of text
        Assert.StartsWith("planned for 2020-03-01 02:00 UTC: not done: alice: ", body, StringComparison.Ordinal);
        Assert.Contains("Evil\\x0aBcc: eve@example.org: the destination already exists", body, StringComparison.Ordinal);
    }

    [Fact]
    public void AScheduleLineThatIsNoUserNameIsRefusedAndLocksNothing()
    {
        string journal = Path.Combine(_home.Home.Root, "journal");
        Directory.CreateDirectory(journal);
        File.SetUnixFileMode(journal, (UnixFileMode)0x1C0);
        string path = Path.Combine(journal, "schedule");
        File.WriteAllText(path, "../x\t2020-01-01T00:00:00Z\tquiet\n");
        File.SetUnixFileMode(path, (UnixFileMode)0x180);
        CliRun run = _home.Run("run-due");
        Assert.Equal(4, run.ExitCode);
        run.AssertOneErrorLine($"{path} line 1: user '../x' contains '/'; nothing was done: fix or remove the line");
        Assert.False(File.Exists(Path.Combine(_home.Home.Root, "x.lock")));
        Assert.Equal(["run-due.lock", "schedule", "schedule.lock"], Directory.GetFiles(journal).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ScheduleRefusesWhatIsNoUserName()
    {
        CliRun run = _home.Run("schedule", "../x", "--at", "2020-01-01T00:00Z");
        Assert.Equal(3, run.ExitCode);
        run.AssertOneErrorLine("user '../x' contains '/': not scheduled");
        Assert.False(File.Exists(Path.Combine(_home.Home.Root, "journal", "schedule")));
    }

    [Fact]
    public void ADeletedAccountIsTakenOffTheScheduleWithoutLockOrNotice()
    {
        Assert.Equal(0, _home.Run("schedule", "alice", "bob", "--at", "2020-03-01T02:00Z", "--notify").ExitCode);
        string[] before = Mails();
        _home.RemoveAccount("bob");

        CliRun due = _home.Run("run-due");
        Assert.Equal(3, due.ExitCode);
        due.AssertOneErrorLine("bob: no such user: taken off the schedule; not migrated, no after-notice");
        Assert.Contains("batch of 1 user(s)", due.Stdout, StringComparison.Ordinal);
        Assert.Equal("migrated", _home.Home.State());
        string journal = Path.Combine(_home.Home.Root, "journal");
        Assert.False(File.Exists(Path.Combine(journal, "bob.lock")));
        Assert.Equal("", File.ReadAllText(Path.Combine(journal, "schedule")));
        string after = Assert.Single(Mails().Except(before));
        Assert.Contains("To: alice\nSubject: done\n", after, StringComparison.Ordinal);
    }

    [Fact]
    public void AnAccountLookupThatFailsIsNotADeletedAccountAndStopsRunDue()
    {
        Assert.Equal(0, _home.Run("schedule", "alice", "bob", "--at", "2020-03-01T02:00Z", "--notify").ExitCode);
        string journal = Path.Combine(_home.Home.Root, "journal");
        string schedule = File.ReadAllText(Path.Combine(journal, "schedule"));
        string[] before = Mails();
        _home.FailLookup("bob");

        CliRun due = _home.Run("run-due");
        Assert.NotEqual(0, due.ExitCode);
        Assert.NotEqual(3, due.ExitCode); // never "no such user"
        due.AssertOneErrorLine("getpwnam_r bob: Input/output error (EIO): the account database did not answer");
        Assert.Equal("legacy", _home.Home.State());
        Assert.Equal(schedule, File.ReadAllText(Path.Combine(journal, "schedule")));
        Assert.False(File.Exists(Path.Combine(journal, "bob.lock")));
        Assert.Equal(before, Mails());
    }

    [Fact]
    public void ANoticeTemplateOthersCanWriteIsRefusedAndNothingIsSent()
    {
        string template = Path.Combine(_home.Home.Root, "before.txt");
        TestHome.Chown(template, 23002);
        CliRun run = _home.Run("schedule", "alice", "--at", "2030-01-01T00:00Z", "--notify");
        Assert.Equal(1, run.ExitCode);
        run.AssertOneErrorLine($"{template}: refused: owned by uid 23002, must be root or uid 0; a notice template must be a regular file of root's that nobody else may write: nothing was sent");
        Assert.Empty(Mails());
        Assert.False(File.Exists(Path.Combine(_home.Home.Root, "journal", "schedule")));

        TestHome.Chown(template, 0);
        File.SetUnixFileMode(template, (UnixFileMode)0x1B6);
        run = _home.Run("schedule", "alice", "--at", "2030-01-01T00:00Z", "--notify");
        Assert.Equal(1, run.ExitCode);
        run.AssertOneErrorLine($"{template}: refused: mode 666 lets others than its owner write it;");
        Assert.Empty(Mails());
    }

    [Fact]
    public async Task AFifoInPlaceOfTheAfterTemplateDoesNotHangRunDue()
    {
        Assert.Equal(0, _home.Run("schedule", "alice", "--at", "2020-03-01T02:00Z", "--notify").ExitCode);
        string template = Path.Combine(_home.Home.Root, "after.txt");
        File.Delete(template);
        Assert.Equal(0, Mono.Unix.Native.Syscall.mkfifo(template, Mono.Unix.Native.FilePermissions.S_IRUSR | Mono.Unix.Native.FilePermissions.S_IWUSR));

        CliRun due = await Task.Run(() => _home.Run("run-due")).WaitAsync(TimeSpan.FromSeconds(60)); // TimeoutException: it hung on the FIFO
        Assert.Equal(1, due.ExitCode);
        due.AssertOneErrorLine($"{template}: refused: not a regular file (a FIFO); a notice template");
        Assert.Equal("migrated", _home.Home.State());
        Assert.Single(Mails()); // the before-notice only
    }

    private string[] Mails() => [.. Directory.GetFiles(_mails).Select(File.ReadAllText)];

    public void Dispose() => _home.Dispose();
}
