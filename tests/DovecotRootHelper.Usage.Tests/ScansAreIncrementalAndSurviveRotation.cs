using DovecotRootHelper.Usage.Scan;
using DovecotRootHelper.Usage.Store;

namespace DovecotRootHelper.Usage.Tests;

public class ScansAreIncrementalAndSurviveRotation
{
    [Fact]
    public void ASecondScanOfTheSameDataAddsNothing()
    {
        using var scenario = new ScanScenario();
        string log = scenario.Append("dovecot.log", ScanScenario.Selects("bob", "Archive", 5));
        scenario.Scan(log);
        List<FileScanResult> again = scenario.Scan(log);
        Assert.Equal(0, again.Single().Events);
        Assert.Equal(["bob Archive SELECT 5"], scenario.Uses());
    }

    [Fact]
    public void AGrowingFileIsReadFromWhereTheLastScanStopped()
    {
        using var scenario = new ScanScenario();
        string log = scenario.Append("dovecot.log", ScanScenario.Selects("bob", "Archive", 3));
        scenario.Scan(log);
        scenario.Append("dovecot.log", ScanScenario.Selects("bob", "Archive", 2, minute: 5));
        File.AppendAllText(log, Lines.Exported("bob", "SELECT", "Half")[..40]); // a line still being written
        FileScanResult second = scenario.Scan(log).Single();
        Assert.Equal(2, second.Events);
        Assert.Equal(["bob Archive SELECT 5"], scenario.Uses());
        File.AppendAllText(log, Lines.Exported("bob", "SELECT", "Half")[40..] + "\n");
        scenario.Scan(log);
        Assert.Equal(["bob Archive SELECT 5", "bob Half SELECT 1"], scenario.Uses());
    }

    [Fact]
    public void MalformedLinesAreCountedAndTheFirstIsNamedByItsLineInTheFile()
    {
        using var scenario = new ScanScenario();
        string log = scenario.Append("dovecot.log", ScanScenario.Selects("bob", "Archive", 2));
        scenario.Scan(log);
        scenario.Append("dovecot.log", [Lines.Exported("bob", "SELECT", "\"unbalanced"), "\u0000\u00ff binary", new string('x', 200_000), .. ScanScenario.Selects("bob", "Archive", 1), Lines.Exported("bob", "SELECT", "Entw&AP")]);
        FileScanResult result = scenario.Scan(log).Single();
        Assert.Equal((3L, 1L, 3L), (result.Malformed, result.Events, result.FirstMalformedLine));
        Assert.Equal(["bob Archive SELECT 3"], scenario.Uses());
    }

    [Fact]
    public void RotationAndGzipBetweenScansLoseAndRepeatNothing()
    {
        using var scenario = new ScanScenario();
        string log = scenario.Append("dovecot.log", ScanScenario.Selects("bob", "Archive", 4));
        scenario.Scan(log);
        scenario.Append("dovecot.log", ScanScenario.Selects("bob", "Archive", 3, minute: 1)); // written after the scan, before rotation
        scenario.Rotate("dovecot.log");
        scenario.Append("dovecot.log", ScanScenario.Selects("bob", "Sent", 2, minute: 2));
        scenario.Rotate("dovecot.log"); // the first file is now dovecot.log.2.gz
        scenario.Append("dovecot.log", ScanScenario.Selects("carol", "Sent", 1, minute: 3));

        List<FileScanResult> results = scenario.Scan(scenario.PathOf("dovecot.log.2.gz"), scenario.PathOf("dovecot.log.1"), log);
        Assert.Equal([3L, 2L, 1L], results.Select(r => r.Events));
        Assert.True(results[0].Compressed);
        Assert.Equal(["bob Archive SELECT 7", "bob Sent SELECT 2", "carol Sent SELECT 1"], scenario.Uses());

        // Read to its end, a compressed file is never decompressed again.
        Assert.Equal("already read", scenario.Scan(scenario.PathOf("dovecot.log.2.gz")).Single().Outcome);
        Assert.Equal(["bob Archive SELECT 7", "bob Sent SELECT 2", "carol Sent SELECT 1"], scenario.Uses());
    }

    [Fact]
    public void AScanStoppedMidwayLosesAndRepeatsNothing()
    {
        using var scenario = new ScanScenario();
        string log = scenario.Append("dovecot.log", Enumerable.Range(0, 200).SelectMany(i => ScanScenario.Selects(i % 2 == 0 ? "bob" : "carol", $"Box{i % 7}", 1, minute: i % 60)));
        using (var reference = new ScanScenario())
        {
            reference.Scan(reference.Append("dovecot.log", File.ReadLines(log)));
            // Every commit is one stretch of lines and its offset: stop the scan after any of them
            // and the next one finishes the job exactly.
            Assert.Throws<StopScan>(() => scenario.Scan(new StopAfter(3), log));
            Assert.NotEqual(reference.Uses(), scenario.Uses());
            scenario.Scan(log);
            Assert.Equal(reference.Uses(), scenario.Uses());
        }
    }

    [Fact]
    public void RenamesCarryHistoryAndDeletionsMark()
    {
        using var scenario = new ScanScenario();
        string log = scenario.Append("dovecot.log",
        [
            .. ScanScenario.Selects("bob", "Work", 2),
            .. ScanScenario.Selects("bob", "Work/2024", 1),
            "Nov 29 10:10:00 imap(bob)<1><s>: Info: Mailbox renamed: Work -> Projects",
            .. ScanScenario.Selects("bob", "Projects", 1, minute: 11),
            "Nov 29 10:12:00 imap(bob)<1><s>: Info: Mailbox Trash: Mailbox created",
            "Nov 29 10:13:00 imap(bob)<1><s>: Info: Mailbox deleted: Projects/2024",
        ]);
        scenario.Scan(log);
        Assert.Equal(["bob Projects SELECT 3", "bob Projects/2024 SELECT 1"], scenario.Uses());
        using UsageStore store = UsageStore.Open(scenario.Database);
        Dictionary<string, MailboxUsage> byName = store.Mailboxes("bob").ToDictionary(m => m.Mailbox);
        Assert.Equal("Projects", byName["Work"].RenamedTo);
        Assert.Equal("Work", byName["Projects"].RenamedFrom);
        Assert.True(byName["Projects/2024"].IsGone);
        Assert.NotNull(byName["Trash"].Created);
        Assert.Equal(["Projects", "Trash"], store.MailboxesUsedSince("bob", 0));
    }

    [Fact]
    public void ConcurrentScansNeitherLoseNorRepeat()
    {
        using var scenario = new ScanScenario();
        string log = scenario.Append("dovecot.log", Enumerable.Range(0, 300).SelectMany(i => ScanScenario.Selects("bob", $"Box{i % 5}", 1, minute: i % 60)));
        Parallel.For(0, 4, _ => scenario.Scan(log));
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"bob Box{i} SELECT 60"), scenario.Uses());
    }

    [Fact]
    public void TheSchemaIsVersionedAndANewerOneIsRefused()
    {
        using var scenario = new ScanScenario();
        using (UsageStore store = UsageStore.Open(scenario.Database))
            Assert.Equal(1, store.SchemaVersion);
        Assert.Equal(System.IO.UnixFileMode.UserRead | System.IO.UnixFileMode.UserWrite, File.GetUnixFileMode(scenario.Database));
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={scenario.Database};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version = 99";
            command.ExecuteNonQuery();
        }
        UsageStoreException e = Assert.Throws<UsageStoreException>(() => UsageStore.Open(scenario.Database));
        Assert.Contains("schema version 99 is newer", e.Message, StringComparison.Ordinal);
    }

    private sealed class StopScan : Exception;

    private sealed class StopAfter(int commits) : IScanObserver
    {
        private int _seen;

        public void Progress(string path, long position, long length)
        {
            if (++_seen > commits)
                throw new StopScan();
        }
    }
}
