using System.Text.Json;
using System.Text.RegularExpressions;

namespace DovecotRootHelper.Cli.Tests;

/// <summary>
/// Every command over the state file and over PostgreSQL, side by side: two homes alike (alice's
/// mailboxes), one on each backend, the database filled by <c>state import</c> from the same state
/// file; each command run on both must print the same (where the state is kept aside) and leave
/// the same state behind.
/// </summary>
public sealed partial class BothBackendsAnswerAlike : IDisposable
{
    private readonly PrivatePostgres _postgres = PrivatePostgres.Start();
    private readonly CliHome _file = new();
    private readonly CliHome _database = new();
    private readonly string _databaseName;

    public BothBackendsAnswerAlike()
    {
        _databaseName = _postgres.CreateDatabase("alike");
        PostgresBackend.Use(_database, _postgres, _databaseName);
        Assert.Equal(0, _database.Run("db", "init").ExitCode);
        CliRun imported = _database.Run("state", "import");
        Assert.Equal((0, ""), (imported.ExitCode, imported.Stderr));
        File.WriteAllText(_database.StatePath, "");
    }

    [Fact]
    public void EveryCommandGivesTheSameOutput()
    {
        string[][] commands =
        [
            ["list"],
            ["status", "alice"],
            ["explain", "alice"],
            ["set", "bob", "migrated", "--note", "by hand"],
            ["set", "carol", "legacy", "--note", "stays"],
            ["set", "alice", "migrating"],
            ["list"],
            ["list", "--state", "migrated"],
            ["list", "--json"],
            ["set", "bob", "legacy", "--note", "back", "--json"],
            ["plan", "alice"],
            ["migrate", "alice", "--yes"],
            ["status", "alice", "--json"],
            ["explain", "alice", "--json"],
            ["set", "alice", "legacy", "--note", "while migrated"],
            ["set", "alice", "migrated", "--note", "again"],
            ["rollback", "alice", "--yes"],
            ["status", "alice"],
            ["candidates"],
            ["schedule", "alice", "--at", "2020-01-01T00:00Z"],
            ["schedule", "carol", "--at", "2999-01-01T00:00Z"],
            ["schedule", "--list"],
            ["schedule", "--cancel", "carol", "dave"],
            ["run-due"],
            ["run-due"],
            ["schedule", "--list", "--json"],
            ["list"],
            ["status", "alice", "nobody-here"],
            ["resume", "alice", "--yes"],
            ["migrate", "alice", "--yes"],
        ];
        foreach (string[] command in commands)
        {
            if (command[0] == "explain")
                ExplainOnBoth(command);
            else
                RunOnBoth(command);
        }
        Assert.Equal(_file.Tree.Keys, _database.Tree.Keys);
    }

    [Fact]
    public void ATargetUserIsAnsweredAlike()
    {
        // The same state on both (a converted user at a target of [locations]), the database's by state import.
        foreach (CliHome home in new[] { _file, _database })
        {
            File.WriteAllText(home.Home.ConfigPath, File.ReadAllText(home.Home.ConfigPath)
                .Replace("[locations]\n", "[locations]\nmaildir = maildir:~/Maildir:LAYOUT=fs\n", StringComparison.Ordinal));
            File.WriteAllText(home.StatePath, "alice\tlegacy\nbob\tmaildir\tconverted\n");
            home.AddAccount("bob", 23002);
        }
        CliRun imported = _database.Run("state", "import", "--replace");
        Assert.Equal((0, ""), (imported.ExitCode, imported.Stderr));
        File.WriteAllText(_database.StatePath, "");
        string[][] commands =
        [
            ["list"],
            ["list", "--json"],
            ["status", "bob"],
            ["status", "bob", "--json"],
            ["status", "alice", "bob"],
        ];
        foreach (string[] command in commands)
        {
            string output = RunOnBoth(command);
            Assert.True(output.Contains("maildir", StringComparison.Ordinal), output);
        }
    }

    [Fact]
    public void StateFileCommandsAreRefusedOnTheDatabase()
    {
        foreach (string command in new[] { "edit", "reindex" })
        {
            CliRun run = _database.Run(command, "--yes");
            Assert.Equal(4, run.ExitCode);
            run.AssertOneErrorLine($"imaproot: {command}: the state is in PostgreSQL ([state] backend = postgresql in {_database.Home.ConfigPath}): {command} works on the state file only; use imaproot set, or imaproot state export and state import");
        }
    }

    public void Dispose()
    {
        _file.Dispose();
        _database.Dispose();
        _postgres.Dispose();
    }

    // Runs the command on both homes; their outputs must be the same but for where the state is kept. Returns it.
    private string RunOnBoth(string[] command)
    {
        string onFile = Normal(_file, _file.Run(command));
        string onDatabase = Normal(_database, _database.Run(command));
        Assert.Equal(onFile, onDatabase);
        return onDatabase;
    }

    // explain: the same decision on both; what serves it differs by design (Dovecot not asked here):
    // the post-login hook reads the file, and only Dovecot's sql userdb reads the database.
    private void ExplainOnBoth(string[] command)
    {
        string onFile = Normal(_file, _file.Run(command));
        string onDatabase = Normal(_database, _database.Run(command));
        const string FileServes = "setup not asked ([dovecot] doveconf is empty): what the post-login hook hands";
        const string DatabaseServes = "setup not asked ([dovecot] doveconf is empty): what the pgsql all-services userdb answers";
        Assert.Contains(FileServes, onFile, StringComparison.Ordinal);
        Assert.Contains(DatabaseServes, onDatabase, StringComparison.Ordinal);
        if (command.Contains("--json"))
        {
            using JsonDocument file = JsonDocument.Parse(Stdout(onFile));
            using JsonDocument database = JsonDocument.Parse(Stdout(onDatabase));
            foreach (string field in new[] { "state", "why", "loginRefused" })
                Assert.Equal(file.RootElement.GetProperty(field).GetRawText(), database.RootElement.GetProperty(field).GetRawText());
            Assert.StartsWith("mbox:", database.RootElement.GetProperty("userdbFields").GetProperty("mail").GetString(), StringComparison.Ordinal);
            return;
        }
        // The first line up to the serving setup, then the database's one field: the hook's MAIL.
        Assert.Equal(onFile.Split('\n')[1].Replace(FileServes, "", StringComparison.Ordinal), onDatabase.Split('\n')[1].Replace(DatabaseServes, "", StringComparison.Ordinal));
        string mail = onFile.Split('\n').Single(l => l.StartsWith("MAIL=", StringComparison.Ordinal))["MAIL=".Length..];
        Assert.Equal($"mail={mail}", onDatabase.Split('\n')[2]);
    }

    private static string Stdout(string normal) => normal[(normal.IndexOf('\n', StringComparison.Ordinal) + 1)..normal.IndexOf("\n--- stderr", StringComparison.Ordinal)];

    // What may differ: where the state is kept (the state file is named only on its own backend:
    // the database's output must never point to it), the homes' temporary roots, and the clock.
    private string Normal(CliHome home, CliRun run)
    {
        string database = $"database {_databaseName} on {_postgres.SocketDirectory}:{PrivatePostgres.Port} as {PrivatePostgres.User}";
        string text = $"exit {run.ExitCode}\n{run.Stdout}\n--- stderr\n{run.Stderr}";
        text = home == _database
            ? text.Replace($"PostgreSQL {database}, line ", "STATE line ", StringComparison.Ordinal)
                .Replace($"PostgreSQL {database}", "STATE", StringComparison.Ordinal)
                .Replace($"imaproot.schedule in the {database}", "SCHEDULE", StringComparison.Ordinal)
            : text.Replace(home.StatePath, "STATE", StringComparison.Ordinal)
                .Replace(Path.Combine(home.Home.Root, "journal", "schedule"), "SCHEDULE", StringComparison.Ordinal);
        return Clock().Replace(text.Replace(home.Home.Root, "ROOT", StringComparison.Ordinal), "TIME");
    }

    [GeneratedRegex(@"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d)?(\.\d+)?(Z|[+-]\d\d:?\d\d)?|\d{8}T\d{6}(\.\d+)?Z?|\d+(\.\d+)? ?(ms|s)\b")]
    private static partial Regex Clock();
}
