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
