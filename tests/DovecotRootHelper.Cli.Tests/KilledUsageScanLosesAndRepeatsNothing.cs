using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace DovecotRootHelper.Cli.Tests;

/// <summary>
/// The published crash-test <c>imaproot usage scan</c> is SIGKILLed (DOVECOT_ROOT_HELPER_CRASH_AT) inside a
/// commit's transaction and right after a commit; the log is then rotated and gzipped twice, more
/// is logged, and the next scan of all three files ends with every event counted exactly once.
/// </summary>
public class KilledUsageScanLosesAndRepeatsNothing
{
    // About 145 MB: a commit at 128 MB and one at the end.
    private const int FirstLines = 200_000;
    private const int LaterLines = 1_000;

    [Theory]
    [InlineData("usage-in-commit-0")]
    [InlineData("usage-after-commit-0")]
    public void KilledThenRotatedThenScannedAgain(string point)
    {
        using var scenario = new CliScenario();
        string log = Path.Combine(scenario.Dir, "dovecot.log");
        string database = Path.Combine(scenario.Dir, "usage.sqlite");
        File.AppendAllText(scenario.ConfigPath, $"\n[usage]\ndatabase = {database}\nlogs = {log}*\n");
        var expected = new SortedDictionary<string, long>(StringComparer.Ordinal);
        File.WriteAllText(log, Generate(0, FirstLines, expected));

        CliRun killed = PublishedImaproot.Start(PublishedImaproot.CrashBinary, ["--config", scenario.ConfigPath, "usage", "scan"], new Dictionary<string, string>
        {
            [CrashBuild.Variable] = point,
        }, "");
        Assert.True(killed.ExitCode == 128 + 9, $"expected SIGKILL, got exit {killed.ExitCode}: {killed.Stderr}");

        // logrotate with compress: the file being scanned becomes dovecot.log.1, then dovecot.log.2.gz.
        File.Move(log, log + ".1");
        File.WriteAllText(log, Generate(FirstLines, LaterLines, expected));
        using (FileStream input = File.OpenRead(log + ".1"))
        using (FileStream output = File.Create(log + ".2.gz"))
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
            input.CopyTo(gzip);
        File.Delete(log + ".1");
        File.Move(log, log + ".1");
        File.WriteAllText(log, Generate(FirstLines + LaterLines, LaterLines, expected));

        CliRun scan = scenario.Run("usage", "scan", "--json");
        Assert.True(scan.ExitCode == 0, scan.Stderr);
        using JsonDocument report = JsonDocument.Parse(scan.Stdout);
        Assert.Equal(0, report.RootElement.GetProperty("malformed").GetInt64());
        Assert.Equal(["dovecot.log.2.gz", "dovecot.log.1", "dovecot.log"], report.RootElement.GetProperty("files").EnumerateArray().Select(f => Path.GetFileName(f.GetProperty("path").GetString()!)));

        Assert.Equal(expected, Recorded(database));
        Assert.Equal(0, JsonDocument.Parse(scenario.Run("usage", "scan", "--json").Stdout).RootElement.GetProperty("events").GetInt64());
    }

    // Exported SELECTs spread over 50 users and 20 mailboxes; the expected count per user and mailbox.
    internal static string Generate(int first, int count, SortedDictionary<string, long> expected)
    {
        var text = new StringBuilder(count * 720);
        for (int i = first; i < first + count; i++)
        {
            string user = $"user{i % 50}";
            string mailbox = $"Box {i % 20}";
            string key = $"{user} {mailbox}";
            expected[key] = expected.GetValueOrDefault(key) + 1;
            text.Append("Nov 29 10:00:00 stats: Info: {\"event\":\"imap_command_finished\",\"hostname\":\"mail\",\"start_time\":\"2026-11-29T10:00:00.000000Z\",\"end_time\":\"2026-11-29T10:00:00.000100Z\",\"fields\":{\"user\":\"")
                .Append(user).Append("\",\"local_ip\":\"127.0.0.1\",\"local_port\":143,\"remote_ip\":\"192.0.2.7\",\"remote_port\":51234,\"session\":\"CE14L3Fh8st/AAAB\",\"duration\":132,\"cmd_tag\":\"a")
                .Append(i).Append("\",\"cmd_name\":\"SELECT\",\"cmd_input_name\":\"SELECT\",\"cmd_args\":\"\\\"").Append(mailbox).Append("\\\"\",\"cmd_human_args\":\"\\\"").Append(mailbox)
                .Append("\\\"\",\"tagged_reply_state\":\"OK\",\"tagged_reply\":\"OK [READ-WRITE] Select completed.\",\"last_run_time\":\"2026-11-29T10:00:00.000000Z\",\"running_usecs\":121,\"lock_wait_usecs\":0,\"bytes_in\":6,\"bytes_out\":263,\"reason_code\":[\"imap:cmd_select\"]}}\n");
        }
        return text.ToString();
    }

    private static SortedDictionary<string, long> Recorded(string database)
    {
        DovecotRootHelper.Usage.Store.SystemSqlite.Initialize();
        var recorded = new SortedDictionary<string, long>(StringComparer.Ordinal);
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT user, mailbox, count FROM mailbox_use";
        using var reader = command.ExecuteReader();
        while (reader.Read())
            recorded[$"{reader.GetString(0)} {reader.GetString(1)}"] = reader.GetInt64(2);
        return recorded;
    }
}
