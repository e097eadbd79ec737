using DovecotRootHelper.EndToEnd.Tests.Infrastructure;

namespace DovecotRootHelper.EndToEnd.Tests;

/// <summary>
/// The site process against Debian's Dovecot (2.3 and 2.4) with real Unix users: imaproot schedule
/// --notify mails each user through a sendmail stand-in that records, run-due migrates the due
/// users as one batch, and their next logins see the same mailboxes, UIDVALIDITY, UIDNEXT and
/// counts under the new root; in a batch where one user's sessions cannot be closed, the others
/// are migrated and that one is back at legacy with every file where it was (a failure halfway
/// through a user's moves is BatchMigrationTests', driven by a hostile observer).
/// </summary>
public abstract class ScheduledBatchIsInvisibleToTheClient(MigrationDovecot dovecot)
{
    [Fact]
    public void ADueScheduleIsMigratedByRunDueAndTheUsersSeeTheSameMailboxes()
    {
        (string config, string mails) = NoticesConfig("schedule");
        TestUser alice = dovecot.Alice, bob = dovecot.Bob;
        ImapRecords aliceBefore = Records(alice), bobBefore = Records(bob);

        string at = DateTime.UtcNow.AddSeconds(-1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        Imaproot.Run(config, "schedule", alice.Name, bob.Name, "--at", at, "--notify").Succeeded();
        string notice = File.ReadAllText(Assert.Single(Directory.GetFiles(mails), f => File.ReadAllText(f).Contains($"To: {alice.Name}\n", StringComparison.Ordinal)));
        Assert.Contains($"Subject: moving at {at[..16].Replace('T', ' ')} UTC\n", notice, StringComparison.Ordinal);
        AssertState(alice, "legacy");

        ImaprootRun due = Imaproot.Run(config, "run-due").Succeeded();
        Assert.Contains("batch of 2 user(s)", due.Stdout, StringComparison.Ordinal);
        AssertState(alice, "migrated");
        AssertState(bob, "migrated");
        foreach ((TestUser user, ImapRecords before) in new[] { (alice, aliceBefore), (bob, bobBefore) })
        {
            ImapRecords after = Records(user);
            Assert.Equal(before.Status, after.Status);
            Assert.Equal(before.Messages, after.Messages);
            Assert.Equal(before.Lsub, after.Lsub);
            Assert.True(File.Exists(Path.Combine(user.Home, "IMAP", "mail", "Archive")));
        }
        Assert.Equal(4, Directory.GetFiles(mails).Length);
        Assert.Equal("run-due: no migration is due\n", Imaproot.Run(config, "run-due").Succeeded().Stdout);

        // The class's other test starts from legacy users.
        dovecot.Imaproot("rollback", alice.Name).Succeeded();
        dovecot.Imaproot("rollback", bob.Name).Succeeded();
    }

    [Fact]
    public void OneUserWhoseSessionsCannotBeClosedLeavesTheOthersMigratedAndThatUserAsBefore()
    {
        TestUser carol = dovecot.Carol, bob = dovecot.Bob;
        // doveadm kick, then a failure for carol alone: her sessions cannot be shown closed.
        string kick = Path.Combine(dovecot.Etc, "kick-failing-for-carol");
        File.WriteAllText(kick, $"#!/bin/sh\n{dovecot.DoveadmCommandLine} kick \"$1\" >/dev/null 2>&1\n[ \"$1\" = {carol.Name} ] && exit 1\nexit 0\n");
        File.SetUnixFileMode(kick, (UnixFileMode)0x1ED);
        string config = Path.Combine(dovecot.Etc, "batch.conf");
        File.WriteAllText(config, System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(dovecot.ConfigPath), "(?m)^kick = .*$", $"kick = {kick} %u"));
        File.SetUnixFileMode(config, (UnixFileMode)0x1A4);
        ImapRecords carolBefore = Records(carol), bobBefore = Records(bob);
        string[] carolFiles = Files(carol.Home);

        ImaprootRun run = Imaproot.Run(config, "migrate", bob.Name, carol.Name, "--yes");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"{carol.Name}: failed: {carol.Name}: '{kick} {carol.Name}' exited with 1: no output; user back to legacy, nothing moved", run.Stdout, StringComparison.Ordinal);
        Assert.Contains($"{bob.Name}: migrated:", run.Stdout, StringComparison.Ordinal);
        AssertState(bob, "migrated");
        AssertState(carol, "legacy");
        Assert.Equal(carolFiles, Files(carol.Home));
        Assert.Equal(carolBefore.Status, Records(carol).Status);
        ImapRecords bobAfter = Records(bob);
        Assert.Equal(bobBefore.Status, bobAfter.Status);
        Assert.Equal(bobBefore.Messages, bobAfter.Messages);

        // The class's other test starts from legacy users.
        dovecot.Imaproot("rollback", bob.Name).Succeeded();
    }

    // The state file's line for the user (written by the fixture with a blank, by imaproot with a TAB).
    private void AssertState(TestUser user, string state) =>
        Assert.Matches($"(?m)^{System.Text.RegularExpressions.Regex.Escape(user.Name)}[ \t]+{state}\\b", File.ReadAllText(dovecot.StatePath));

    private ImapRecords Records(TestUser user) =>
        ImapRecords.Take(dovecot, user, MigrationDovecot.Mailboxes.Keys, new HashSet<string>(StringComparer.Ordinal));

    // Every file under the home, by path relative to it.
    private static string[] Files(string home) =>
        [.. Directory.GetFiles(home, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(home, f)).Order(StringComparer.Ordinal)];

    private (string Config, string Mails) NoticesConfig(string name)
    {
        string mails = Path.Combine(dovecot.Etc, name + "-mails");
        Directory.CreateDirectory(mails);
        string sendmail = Path.Combine(dovecot.Etc, name + "-sendmail");
        File.WriteAllText(sendmail, $"#!/bin/sh\ncat > \"$(mktemp {mails}/mail.XXXXXX)\"\n");
        File.SetUnixFileMode(sendmail, (UnixFileMode)0x1ED);
        File.WriteAllText(Path.Combine(dovecot.Etc, "before.txt"), "To: %u\nSubject: moving at %T\n\nat %t\n");
        File.WriteAllText(Path.Combine(dovecot.Etc, "after.txt"), "To: %u\nSubject: %o\n\n%o\n");
        string config = Path.Combine(dovecot.Etc, name + ".conf");
        File.WriteAllText(config, File.ReadAllText(dovecot.ConfigPath)
            + $"\n[notices]\nsendmail = {sendmail} -t -oi\nbefore = {dovecot.Etc}/before.txt\nafter = {dovecot.Etc}/after.txt\n");
        File.SetUnixFileMode(config, (UnixFileMode)0x1A4);
        return (config, mails);
    }
}

/// <summary>On Debian 12's Dovecot 2.3.</summary>
public sealed class ScheduledBatchIsInvisibleToTheClientOnDovecot23(MigrationDovecot23 dovecot) : ScheduledBatchIsInvisibleToTheClient(dovecot), IClassFixture<MigrationDovecot23>;

/// <summary>On Debian 13's Dovecot 2.4, in the cached Debian 13 tree.</summary>
public sealed class ScheduledBatchIsInvisibleToTheClientOnDovecot24(MigrationDovecot24 dovecot) : ScheduledBatchIsInvisibleToTheClient(dovecot), IClassFixture<MigrationDovecot24>;

/// <summary>On Debian forky's Dovecot 2.4.5, in the cached forky tree.</summary>
public sealed class ScheduledBatchIsInvisibleToTheClientOnDovecot245(MigrationDovecot245 dovecot) : ScheduledBatchIsInvisibleToTheClient(dovecot), IClassFixture<MigrationDovecot245>;
