using DovecotRootHelper.Usage.Scan;

namespace DovecotRootHelper.Usage.Tests;

/// <summary>
/// A scan sums a stretch of the log in memory and writes each sum once; a rename inside the stretch
/// must still carry what came before it, and only that, to the new name. The reference commits after
/// every line, which applies each event on its own in log order.
/// </summary>
public class SummedScansRecordWhatLineByLineDoes
{
    private static readonly string[] Users = ["bob", "carol"];

    // Names that are each other's subtrees ("A", "A/b", "A/b/c") or only share a prefix ("Ab").
    private static readonly string[] Names = ["A", "A/b", "A/b/c", "Ab", "B", "B/x", "INBOX", "C"];

    private static readonly string[] Commands = ["SELECT", "EXAMINE", "STATUS", "APPEND", "UID MOVE", "COPY"];

    [Fact]
    public void RenamesDeletesAndOpensInterleavedComeOutAsLineByLine()
    {
        List<string> log = TrickyLog(seed: 11, lines: 1500);
        const int FirstScan = 900; // two scans of a growing file: the second starts on top of what the first recorded
        using var lineByLine = new ScanScenario();
        lineByLine.Append("dovecot.log", log.Take(FirstScan));
        lineByLine.Scan(lineByLine.PathOf("dovecot.log"));
        lineByLine.Append("dovecot.log", log.Skip(FirstScan));
        FileScanResult expected = lineByLine.Scan(lineByLine.PathOf("dovecot.log")).Single();
        List<string> rows = lineByLine.Rows();
        Assert.True(expected.Events > 400, $"{expected.Events} events");
        // Renames carried sums to names no command opened, and some of them on across further renames.
        Assert.Contains(rows, r => r.StartsWith("mailbox_use: ", StringComparison.Ordinal) && !Names.Contains(r.Split(" | ")[1]) && r.Split(" | ")[1].Count(c => c == '/') > 1);

        foreach ((long commitBytes, int commitKeys) in new (long, int)[]
        {
            (1 << 30, 3), (1 << 30, 40), // a commit every few sums: renames and the opens around them on both sides of commits
            (1 << 30, 1 << 18), // each scan summed whole
            (4096, 1 << 18), // a commit every few kilobytes
        })
        {
            using var summed = new ScanScenario();
            var commits = new CountCommits();
            summed.Append("dovecot.log", log.Take(FirstScan));
            summed.Scan(commits, commitBytes, commitKeys, summed.PathOf("dovecot.log"));
            summed.Append("dovecot.log", log.Skip(FirstScan));
            FileScanResult result = summed.Scan(commits, commitBytes, commitKeys, summed.PathOf("dovecot.log")).Single();
            string what = $"commits after {commitBytes} bytes or {commitKeys} sums ({commits.Count} commits)";
            Assert.True((expected.Lines, expected.Events, expected.Malformed) == (result.Lines, result.Events, result.Malformed), what);
            Assert.True(commitKeys > 100 && commitBytes > 1 << 20 ? commits.Count <= 4 : commits.Count > 10, what);
            List<string> differences = [.. rows.Except(summed.Rows()).Select(r => "line by line: " + r), .. summed.Rows().Except(rows).Select(r => "summed:       " + r)];
            Assert.True(differences.Count == 0, what + ":\n" + string.Join("\n", differences));
        }
    }

    // Opens of a few related names by two users, a create, delete or rename every few lines among
    // the same names (a rename into its own subtree included, which Dovecot refuses but the store
    // still defines), LISTs, a malformed line now and then; times out of order within a minute.
    private static List<string> TrickyLog(int seed, int lines)
    {
        var random = new Random(seed);
        var log = new List<string>();
        for (int i = 0; i < lines; i++)
        {
            string user = Users[random.Next(Users.Length)];
            string name = Names[random.Next(Names.Length)];
            int minute = i * 60 / lines;
            string time = $"2026-11-29T10:{minute:00}:{random.Next(60):00}.000000Z";
            int what = random.Next(100);
            if (what < 6)
            {
                string to = Names[random.Next(Names.Length)];
                log.Add($"Nov 29 10:{minute:00}:{random.Next(60):00} imap({user})<1><s>: Info: Mailbox renamed: {name} -> {(to == name ? "D" : to)}");
            }
            else if (what < 9)
            {
                log.Add($"Nov 29 10:{minute:00}:{random.Next(60):00} imap({user})<1><s>: Info: Mailbox deleted: {name}");
            }
            else if (what < 12)
            {
                log.Add($"Nov 29 10:{minute:00}:{random.Next(60):00} imap({user})<1><s>: Info: Mailbox {name}: Mailbox created");
            }
            else if (what < 20)
            {
                log.Add(Lines.Exported(user, random.Next(2) == 0 ? "LIST" : "LSUB", random.Next(2) == 0 ? "\"\" *" : $"\"\" \"{name}/%\"", usecs: random.Next(1000), time: time));
            }
            else if (what < 21)
            {
                log.Add(Lines.Exported(user, "SELECT", $"\"{name}", time: time)); // malformed: no closing quote
            }
            else
            {
                string command = Commands[random.Next(Commands.Length)];
                string arguments = command.Contains("MOVE", StringComparison.Ordinal) || command == "COPY" ? $"1:5 \"{name}\"" : $"\"{name}\"";
                log.Add(Lines.Exported(user, command, arguments, time: time));
            }
        }
        return log;
    }

    private sealed class CountCommits : IScanObserver
    {
        public int Count { get; private set; }

        public void Progress(string path, long position, long length) => Count++;
    }
}
