using System.Diagnostics;
using DovecotRootHelper.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace DovecotRootHelper.EndToEnd.Tests;

/// <summary>
/// The published imaproot with the state in PostgreSQL (<c>[state] backend = postgresql</c>) against
/// a Dovecot reading that database through the shipped pgsql snippet (issue 21): a migration and its
/// rollback are invisible to an IMAP client, the table and Dovecot's own userdb say where the root is;
/// the same Dovecot without the snippet (its system userdb alone) makes check fail naming the missing
/// setup and migrate refuse with nothing touched; check is ok on the right setup and sees the row
/// Dovecot reads go stale when the config's locations change without imaproot db upgrade.
/// </summary>
public abstract class MigrationIntoThePgsqlUserdb<TDovecot>(TDovecot dovecot, ITestOutputHelper output) : IClassFixture<TDovecot>
    where TDovecot : PgsqlMigrationDovecot
{
    [Fact]
    public void MigrateAndRollbackAreInvisibleToTheClient()
    {
        TestUser user = dovecot.Mover;
        string[] before = MailClients.MessageCounts(dovecot, user);
        foreach (KeyValuePair<string, int> mailbox in PgsqlMigrationDovecot.Mailboxes)
            Assert.Contains($"{mailbox.Key} {mailbox.Value}", before);

        var clock = Stopwatch.StartNew();
        ImaprootRun migrate = dovecot.Imaproot("migrate", "--yes", user.Name).Succeeded();
        output.WriteLine($"imaproot migrate: {clock.ElapsedMilliseconds} ms\n{migrate.Stdout}{migrate.Stderr}");
        Assert.Equal("migrated", dovecot.StateInTable(user));
        foreach (string mailbox in PgsqlMigrationDovecot.Mailboxes.Keys)
        {
            Assert.True(File.Exists(Path.Combine(user.Home, "IMAP", mailbox)), $"{mailbox} not moved under IMAP");
            Assert.False(File.Exists(Path.Combine(user.Home, mailbox)), $"{mailbox} left at the legacy root");
        }
        Assert.Equal(before, MailClients.MessageCounts(dovecot, user));
        Assert.Contains(Path.Combine(user.Home, "IMAP"), RootInDoveadmUser(user), StringComparison.Ordinal);

        clock.Restart();
        dovecot.Imaproot("rollback", user.Name).Succeeded();
        output.WriteLine($"imaproot rollback: {clock.ElapsedMilliseconds} ms");
        Assert.Equal("legacy", dovecot.StateInTable(user));
        foreach (string mailbox in PgsqlMigrationDovecot.Mailboxes.Keys)
            Assert.True(File.Exists(Path.Combine(user.Home, mailbox)), $"{mailbox} not moved back");
        Assert.Equal(before, MailClients.MessageCounts(dovecot, user));
        Assert.DoesNotContain("IMAP", RootInDoveadmUser(user), StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutTheSnippetCheckFailsAndMigrateTouchesNothing()
    {
        TestUser user = dovecot.Mover;
        string stateBefore = dovecot.StateInTable(user);
        try
        {
            dovecot.SetSnippetIncluded(false);
            ImaprootRun check = dovecot.Imaproot("check");
            Assert.True(check.ExitCode == 4, $"check exited {check.ExitCode}\n{check.Stdout}{check.Stderr}");
            Assert.Contains("Dovecot runs nothing of dovecot-root-helper", check.Stdout, StringComparison.Ordinal);
            Assert.Contains($"dovecot-{dovecot.Generation.SnippetName()}-all-services-pgsql.conf", check.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("ok:", check.Stdout, StringComparison.Ordinal);

            ImaprootRun migrate = dovecot.Imaproot("migrate", "--yes", user.Name);
            Assert.NotEqual(0, migrate.ExitCode);
            Assert.Contains("Dovecot runs nothing of dovecot-root-helper", migrate.Stderr, StringComparison.Ordinal);
            Assert.Contains("nothing was touched", migrate.Stderr, StringComparison.Ordinal);
            foreach (string mailbox in PgsqlMigrationDovecot.Mailboxes.Keys)
                Assert.True(File.Exists(Path.Combine(user.Home, mailbox)), $"{mailbox} moved although Dovecot would not look for it");
            Assert.False(Directory.Exists(Path.Combine(user.Home, "IMAP")), "IMAP created although nothing may move");
            Assert.Equal(stateBefore, dovecot.StateInTable(user));
        }
        finally
        {
            dovecot.SetSnippetIncluded(true);
        }
        Assert.Contains("Dovecot runs all-services pgsql userdb", dovecot.Imaproot("check").Succeeded().Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckIsOkOnTheRightSetupAndSeesAStaleDovecotRow()
    {
        var clock = Stopwatch.StartNew();
        ImaprootRun ok = dovecot.Imaproot("check").Succeeded();
        output.WriteLine($"imaproot check: {clock.ElapsedMilliseconds} ms");
        Assert.Contains("note: Dovecot runs all-services pgsql userdb (imaproot.userdb)", ok.Stdout, StringComparison.Ordinal);
        Assert.Contains($"note: {dovecot.Migrating.Name} is migrating", ok.Stdout, StringComparison.Ordinal);
        string users = dovecot.Database.Query("SELECT count(*) FROM imaproot.user_state").Trim();
        Assert.Contains($"ok: {dovecot.ConfigPath}, the PostgreSQL database imaproot", ok.Stdout, StringComparison.Ordinal);
        Assert.EndsWith($"({users} user(s))\n", ok.Stdout, StringComparison.Ordinal);

        string config = File.ReadAllText(dovecot.ConfigPath);
        try
        {
            File.WriteAllText(dovecot.ConfigPath, config.Replace("migrated = mbox:~/IMAP:", "migrated = mbox:~/Mail:", StringComparison.Ordinal));
            ImaprootRun stale = dovecot.Imaproot("check");
            Assert.True(stale.ExitCode == 4, $"check exited {stale.ExitCode}\n{stale.Stdout}{stale.Stderr}");
            Assert.Contains("the database's Dovecot settings differ from the config (migrated_fields", stale.Stdout, StringComparison.Ordinal);
            Assert.Contains("run imaproot db upgrade", stale.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            File.WriteAllText(dovecot.ConfigPath, config);
        }
        dovecot.Imaproot("check").Succeeded();
    }

    // 2.3 prints the mail field (the table's, expanded by the schema), 2.4 mail_path with ~ expanded.
    private string RootInDoveadmUser(TestUser user)
    {
        string fields = dovecot.Doveadm("user", user.Name);
        return string.Join('\n', fields.Split('\n').Where(l => l.StartsWith("mail", StringComparison.Ordinal)).Select(l => l.Replace("~", user.Home, StringComparison.Ordinal)));
    }
}

public sealed class MigrationIntoThePgsqlUserdbOnDovecot23(PgsqlMigrationDovecot23 dovecot, ITestOutputHelper output) : MigrationIntoThePgsqlUserdb<PgsqlMigrationDovecot23>(dovecot, output);

public sealed class MigrationIntoThePgsqlUserdbOnDovecot24(PgsqlMigrationDovecot24 dovecot, ITestOutputHelper output) : MigrationIntoThePgsqlUserdb<PgsqlMigrationDovecot24>(dovecot, output);

public sealed class MigrationIntoThePgsqlUserdbOnDovecot245(PgsqlMigrationDovecot245 dovecot, ITestOutputHelper output) : MigrationIntoThePgsqlUserdb<PgsqlMigrationDovecot245>(dovecot, output);
