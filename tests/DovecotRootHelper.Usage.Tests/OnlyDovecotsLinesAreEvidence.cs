using DovecotRootHelper.Usage.Logs;

namespace DovecotRootHelper.Usage.Tests;

/// <summary>
/// In syslog every program writes to the same file: a line is Dovecot's only when its tag is
/// Dovecot's own (`dovecot`, `dovecot[pid]`) and Dovecot's prefix follows it at once.
/// </summary>
public class OnlyDovecotsLinesAreEvidence
{
    private const string Event = "imap(alice)<1><s>: Info: Mailbox created: Secret";

    [Theory]
    [InlineData("Nov 29 21:43:23 mail bob: " + Event)] // logger, its default tag
    [InlineData("Nov 29 21:43:23 mail bob[77]: " + Event)]
    [InlineData("Nov 29 21:43:23 mail postfix/cleanup[812]: 4AbC: warning: header Subject: " + Event + " from local")]
    [InlineData("Nov 29 21:43:23 mail postfix/smtpd[1]: NOQUEUE: reject: x " + Event)]
    [InlineData("2026-11-29T21:43:23.123456+00:00 mail cron[9]: (bob) CMD (" + Event + ")")]
    [InlineData("Nov 29 21:43:23 mail dovecotx: " + Event)]
    [InlineData("Nov 29 21:43:23 mail dovecot[x]: " + Event)]
    [InlineData("Nov 29 21:43:23 mail notdovecot[1]: " + Event)]
    [InlineData("Nov 29 21:43:23 mail dovecot: imap-login: Info: Login: user=<x " + Event + ">")]
    [InlineData("Nov 29 21:43:23 imap-login: Info: Aborted login: user=<x " + Event + ">")]
    public void ALineFromAnotherProgramIsNotEvidence(string line)
    {
        Assert.Equal(LineVerdict.Other, Lines.Parse(line).Verdict);
    }

    [Fact]
    public void AnExportedLineQuotedByAnotherProgramIsNotEvidence()
    {
        string exported = Lines.Exported("alice", "SELECT", "Secret").Replace("Nov 29 10:00:00 stats: Info: ", "", StringComparison.Ordinal);
        Assert.Equal(LineVerdict.Other, Lines.Parse("Nov 29 10:00:00 mail bob: stats: Info: " + exported).Verdict);
        Assert.Equal(LineVerdict.Other, Lines.Parse("Nov 29 10:00:00 mail postfix/smtp[3]: x stats: " + exported).Verdict);
        Assert.Equal("Secret", Lines.Single("Nov 29 10:00:00 mail dovecot[4]: stats: " + exported).Name);
    }

    // What Debian 12's Dovecot 2.3.19 sent to /dev/log with log_path = syslog and the usage-logging
    // snippet (openlog with instance_name "dovecot", no LOG_PID; info lines without a level), as a
    // syslog daemon writes them with its host name.
    [Theory]
    [InlineData("Dec  7 12:58:59 mail dovecot: imap(bob)<1517><o9IKygpiLq1/AAAB>: Mailbox created: Archive", UsageEventKind.Created, "Archive")]
    [InlineData("Dec  7 12:58:59 mail dovecot: imap(bob)<1517><o9IKygpiLq1/AAAB>: Mailbox renamed: Archive -> Old", UsageEventKind.Renamed, "Archive")]
    [InlineData("Dec  7 12:58:59 mail dovecot: imap(bob)<1517><o9IKygpiLq1/AAAB>: Mailbox deleted: Old", UsageEventKind.Deleted, "Old")]
    [InlineData("""Dec  7 12:58:59 mail dovecot: stats: {"event":"imap_command_finished","start_time":"2026-12-07T12:58:59.215314Z","end_time":"2026-12-07T12:58:59.215554Z","fields":{"user":"bob","local_ip":"127.0.0.1","local_port":10931,"remote_ip":"127.0.0.1","remote_port":44334,"session":"o9IKygpiLq1/AAAB","duration":156,"cmd_tag":"DNLK3","cmd_name":"SELECT","cmd_input_name":"SELECT","cmd_args":"Archive","cmd_human_args":"Archive","tagged_reply_state":"OK","tagged_reply":"OK [READ-WRITE] Select completed","last_run_time":"2026-12-07T12:58:59.215303Z","running_usecs":146,"lock_wait_usecs":2,"bytes_in":7,"bytes_out":303,"reason_code":["imap:cmd_select"],"mailbox":"Archive"}}""", UsageEventKind.Used, "Archive")]
    public void Dovecot23sOwnSyslogLinesAreRead(string line, UsageEventKind kind, string name)
    {
        UsageEvent e = Lines.Single(line);
        Assert.Equal((kind, "bob", name), (e.Kind, e.User, e.Name));
    }

    [Theory]
    [InlineData("Nov 29 21:43:23 mail dovecot: " + Event)]
    [InlineData("Nov 29 21:43:23 mail dovecot[812]: " + Event)]
    [InlineData("2026-11-29T21:43:23.123456+00:00 mail dovecot[812]: " + Event)]
    [InlineData("Nov 29 21:43:23 " + Event)]
    [InlineData("2026-11-29 21:43:23 " + Event)]
    [InlineData(Event)]
    public void DovecotsOwnLinesAreStillRead(string line)
    {
        Assert.Equal("Secret", Lines.Single(line).Name);
    }
}
