namespace DovecotRootHelper.Cli.Tests;

/// <summary>
/// <c>imaproot state import</c> and <c>state export</c> against a private PostgreSQL: a state file
/// into the database and back is the same file byte for byte, with the schedule along.
/// </summary>
public sealed class StateMovesBetweenFileAndDatabase : IDisposable
{
    // Comments, blank lines, a note with blanks and tabs, spaces before a comment, no final newline.
    private const string Odd = "# the site's users\n\nalice\tlegacy\nbob\tmigrated\tmoved by hand, 2019\n  # kept aside\ncarol\tlegacy\tnote\twith a tab\n\n\ndave\tmigrating";

    private readonly PrivatePostgres _postgres = PrivatePostgres.Start();
    private readonly CliHome _home = new();
    private readonly string _database;

    public StateMovesBetweenFileAndDatabase()
    {
        _database = _postgres.CreateDatabase("transfer");
        PostgresBackend.Use(_home, _postgres, _database);
        Assert.Equal(0, _home.Run("db", "init").ExitCode);
    }

    [Theory]
    [InlineData(Odd)]
    [InlineData(Odd + "\n")]
    [InlineData("")]
    [InlineData("\n")]
    [InlineData("alice\tlegacy\n")]
    public void ImportThenExportIsByteIdentical(string state)
    {
        File.WriteAllText(_home.StatePath, state);
        CliRun imported = _home.Run("state", "import", "--replace");
        Assert.Equal((0, ""), (imported.ExitCode, imported.Stderr));

        CliRun exported = _home.Run("state", "export");

        Assert.Equal((0, "", state), (exported.ExitCode, exported.Stderr, exported.Stdout));
        string copy = Path.Combine(_home.Home.Root, "exported");
        Assert.Equal(0, _home.Run("state", "export", copy).ExitCode);
        Assert.Equal(System.Text.Encoding.UTF8.GetBytes(state), File.ReadAllBytes(copy));
    }

    [Fact]
    public void TargetLinesGoBothWaysByteIdentical()
    {
        File.WriteAllText(_home.Home.ConfigPath, File.ReadAllText(_home.Home.ConfigPath)
            .Replace("[locations]\n", "[locations]\nmaildir = maildir:~/Maildir:LAYOUT=fs\nmdbox = mdbox:~/mdbox\n", StringComparison.Ordinal));
        const string State = "# converted\nalice\tmaildir\nbob\tmigrated\tmoved\ncarol\tmdbox\tbatch 2, 2026\n";
        File.WriteAllText(_home.StatePath, State);
        CliRun imported = _home.Run("state", "import");
        Assert.Equal((0, ""), (imported.ExitCode, imported.Stderr));

        Assert.Equal("alice|maildir\nbob|migrated\ncarol|mdbox", _postgres.Query("SELECT user_name, state FROM imaproot.user_state ORDER BY file_order", _database).Trim());
        CliRun exported = _home.Run("state", "export");
        Assert.Equal((0, "", State), (exported.ExitCode, exported.Stderr, exported.Stdout));
        File.WriteAllText(_home.StatePath, "");
        CliRun toFile = _home.Run("state", "export", _home.StatePath);
        Assert.Equal((0, ""), (toFile.ExitCode, toFile.Stderr));
        Assert.Equal(State, _home.State);

        // A config without the target refuses the file's line on import, as the file backend would.
        File.WriteAllText(_home.Home.ConfigPath, File.ReadAllText(_home.Home.ConfigPath).Replace("mdbox = mdbox:~/mdbox\n", "", StringComparison.Ordinal));
        CliRun refused = _home.Run("state", "import", "--replace");
        Assert.Equal(4, refused.ExitCode);
        Assert.Contains("mdbox", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("nothing was imported", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal("3", _postgres.Query("SELECT count(*) FROM imaproot.user_state", _database).Trim());
    }

    [Fact]
    public void ChangesInTheDatabaseAreExportedAsTheFileBackendWritesThem()
    {
        File.WriteAllText(_home.StatePath, Odd + "\n");
        Assert.Equal(0, _home.Run("state", "import").ExitCode);
        Assert.Equal(0, _home.Run("set", "bob", "legacy", "--note", "back").ExitCode);
        Assert.Equal(0, _home.Run("set", "erin", "migrated", "--note", "new").ExitCode);

        CliRun exported = _home.Run("state", "export");

        // The file backend: bob's line rewritten in place, erin appended, every other byte kept.
        Assert.Equal(Odd.Replace("bob\tmigrated\tmoved by hand, 2019", "bob\tlegacy\tback", StringComparison.Ordinal) + "\nerin\tmigrated\tnew\n", exported.Stdout);
    }

    [Theory]
    [InlineData("alice")]
    [InlineData("bob")]
    [InlineData("carol")]
    public void WithoutAFinalNewlineASetEndsTheStateAsTheFileBackendDoes(string user)
    {
        // A middle line rewritten keeps the file's ending; the last line rewritten, or one appended, ends with a newline.
        const string State = "# no final newline\nalice\tlegacy\nbob\tlegacy";
        using var onFile = new CliHome();
        File.WriteAllText(onFile.StatePath, State);
        File.WriteAllText(_home.StatePath, State);
        Assert.Equal(0, _home.Run("state", "import", "--replace").ExitCode);

        Assert.Equal(0, onFile.Run("set", user, "migrated", "--note", "x").ExitCode);
        Assert.Equal(0, _home.Run("set", user, "migrated", "--note", "x").ExitCode);

        CliRun exported = _home.Run("state", "export");
        Assert.Equal((0, onFile.State), (exported.ExitCode, exported.Stdout));
        Assert.Equal(user != "alice", exported.Stdout.EndsWith('\n'));
    }

    [Fact]
    public void TheScheduleMovesWithTheConfiguredStateFile()
    {
        File.WriteAllText(_home.StatePath, "alice\tlegacy\n");
        string schedule = Path.Combine(_home.Home.Root, "journal", "schedule");
        Directory.CreateDirectory(Path.GetDirectoryName(schedule)!);
        File.WriteAllText(schedule, "alice\t2030-01-01T02:00:00Z\tnotify\n");

        CliRun imported = _home.Run("state", "import");
        Assert.Equal($"state import: 1 user(s) and 0 other line(s) from {_home.StatePath} into the database {_database} on {_postgres.SocketDirectory}:5432 as postgres; 1 scheduled migration(s) from {schedule}\n", imported.Stdout);
        Assert.Equal("alice|2030-01-01 02:00:00+00|t", _postgres.Query("SET TIME ZONE 'UTC'; SELECT user_name, due_at, notify FROM imaproot.schedule", _database).Trim());

        File.Delete(schedule);
        File.WriteAllText(_home.StatePath, "");
        CliRun exported = _home.Run("state", "export", _home.StatePath);
        Assert.Equal((0, ""), (exported.ExitCode, exported.Stderr));
        Assert.Equal("alice\tlegacy\n", _home.State);
        Assert.Equal("alice\t2030-01-01T02:00:00Z\tnotify\n", File.ReadAllText(schedule));
    }

    [Fact]
    public void AScheduledConversionKeepsItsTargetBothWays()
    {
        File.WriteAllText(_home.StatePath, "alice\tmigrated\nbob\tmigrated\n");
        string schedule = Path.Combine(_home.Home.Root, "journal", "schedule");
        Directory.CreateDirectory(Path.GetDirectoryName(schedule)!);
        const string Scheduled = "alice\t2030-01-01T02:00:00Z\tquiet\tto=maildir\nbob\t2030-01-02T02:00:00Z\tnotify\n";
        File.WriteAllText(schedule, Scheduled);

        Assert.Equal(0, _home.Run("state", "import").ExitCode);
        Assert.Equal("alice|maildir\nbob|", _postgres.Query("SELECT user_name, coalesce(target, '') FROM imaproot.schedule ORDER BY user_name", _database).Trim());

        File.Delete(schedule);
        Assert.Equal(0, _home.Run("state", "export", _home.StatePath).ExitCode);
        Assert.Equal(Scheduled, File.ReadAllText(schedule));
    }

    [Fact]
    public void ADatabaseWithUsersIsReplacedOnlyWhenAsked()
    {
        File.WriteAllText(_home.StatePath, "alice\tlegacy\n");
        Assert.Equal(0, _home.Run("state", "import").ExitCode);
        File.WriteAllText(_home.StatePath, "bob\tmigrated\n");

        CliRun again = _home.Run("state", "import");

        Assert.Equal(4, again.ExitCode);
        again.AssertOneErrorLine($"imaproot: {_home.Home.Root}/pgconn: the database {_database} on {_postgres.SocketDirectory}:5432 as postgres lists 1 user(s) already: nothing was imported; --replace replaces them with the file's");
        Assert.Equal("alice", _postgres.Query("SELECT string_agg(user_name, ',') FROM imaproot.user_state", _database).Trim());
    }

    [Fact]
    public void AStateFileWithProblemsIsNeverImported()
    {
        File.WriteAllText(_home.StatePath, "alice\tlegacy\nbob\tmaybe\n");
        CliRun run = _home.Run("state", "import");
        Assert.Equal(4, run.ExitCode);
        Assert.Contains("nothing was imported", run.Stderr, StringComparison.Ordinal);
        Assert.Equal("0", _postgres.Query("SELECT count(*) FROM imaproot.user_state", _database).Trim());
    }

    [Fact]
    public void AnOlderSchemaIsRefusedUntilUpgraded()
    {
        _postgres.Query("UPDATE imaproot.schema_version SET version = 2", _database);
        CliRun list = _home.Run("list");
        Assert.Equal(4, list.ExitCode);
        list.AssertOneErrorLine($"imaproot: {_home.Home.Root}/pgconn: the database {_database} on {_postgres.SocketDirectory}:5432 as postgres holds imaproot schema version 2, this imaproot reads 6: run imaproot db upgrade");
    }

    public void Dispose()
    {
        _home.Dispose();
        _postgres.Dispose();
    }
}
