namespace DovecotRootHelper.Cli.Tests;

/// <summary>
/// <c>imaproot explain</c> with <c>[state] backend = postgresql</c> (a private cluster) names what
/// Dovecot runs as <c>doveconf -n</c> says: the pgsql all-services setup's sql userdb, with the
/// fields the database answers; without it, that nothing of ours serves the database (never the
/// post-login hook's variables: the hook does not read the database).
/// </summary>
public sealed class ExplainNamesTheSqlUserdb : IDisposable
{
    private readonly PrivatePostgres _postgres = PrivatePostgres.Start();
    private readonly TempDirectory _dir = new();

    [Fact]
    public void TheSqlUserdbIsNamedWithItsFields()
    {
        string args = _dir.Write("pgsql-args.conf", "driver = pgsql\nconnect = host=/nonexistent\n"
            + "user_query = SELECT * FROM imaproot.userdb('%u', '%{userdb:uid}', '%{userdb:home}')\n");
        string config = Config("sql", Dovecot($"userdb {{\n  driver = sql\n  args = {args}\n  skip = notfound\n  result_internalfail = return-fail\n}}\n"));
        Assert.Equal(0, Run(config, "db", "init").ExitCode);
        Assert.Equal(0, Run(config, "set", "--yes", "alice", "migrated").ExitCode);

        CliRun run = Run(config, "explain", "alice", "--uid", "2000", "--home", "/home/alice");

        Assert.Equal(0, run.ExitCode);
        string[] lines = run.Stdout.TrimEnd('\n').Split('\n');
        Assert.EndsWith("; Dovecot 2.3, the all-services sql userdb (imaproot.userdb in the PostgreSQL database) for every service: Dovecot's userdb answers", lines[0], StringComparison.Ordinal);
        Assert.Equal(["mail=mbox:/home/alice/IMAP:INBOX=/var/mail/alice"], lines[1..]);
        Assert.DoesNotContain("post-login", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutTheSqlUserdbNothingOfOursIsSaidToServe()
    {
        string config = Config("none", Dovecot(""));
        Assert.Equal(0, Run(config, "db", "init").ExitCode);
        Assert.Equal(0, Run(config, "set", "--yes", "alice", "migrated").ExitCode);

        CliRun run = Run(config, "explain", "alice", "--uid", "2000", "--home", "/home/alice");

        Assert.Equal(0, run.ExitCode);
        string[] lines = run.Stdout.TrimEnd('\n').Split('\n');
        Assert.Contains("Dovecot runs no sql userdb calling imaproot.userdb", lines[0], StringComparison.Ordinal);
        Assert.Equal(["# nothing of dovecot-root-helper hands Dovecot this location (imaproot check)"], lines[1..]);
    }

    public void Dispose()
    {
        _postgres.Dispose();
        _dir.Dispose();
    }

    // Dovecot 2.3 with its passwd userdb first, as the snippet chains it, then USERDBS.
    private string Dovecot(string userdbs) => _dir.Write($"dovecot-{Guid.NewGuid():N}.conf",
        "mail_location = mbox:~:INBOX=/var/mail/%u\nuserdb {\n  driver = passwd\n  result_success = continue-ok\n}\n" + userdbs);

    private string Config(string database, string dovecot)
    {
        string name = _postgres.CreateDatabase(database);
        string conninfo = _dir.Write($"pgconn-{database}", _postgres.Conninfo(name), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return _dir.Write($"imaproot-{database}.conf", $"[dovecot]\nversion = 2.3\ndoveconf = doveconf -c {dovecot}\n\n"
            + "[locations]\nlegacy = mbox:~:INBOX=/var/mail/%u\nmigrated = mbox:~/IMAP:INBOX=/var/mail/%u\n\n"
            + $"[state]\nbackend = postgresql\nfile = {_dir.Path}/state\n\n[postgresql]\nconninfo-file = {conninfo}\n\n"
            + $"[migration]\njournal-dir = {_dir.Path}/journal\n");
    }

    private static CliRun Run(string config, params string[] arguments) => InProcessImaproot.Run(config, _ => null, arguments);
}
