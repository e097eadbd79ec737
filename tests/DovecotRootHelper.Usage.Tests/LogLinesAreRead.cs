using DovecotRootHelper.Usage.Logs;

namespace DovecotRootHelper.Usage.Tests;

public class LogLinesAreRead
{
    [Fact]
    public void Dovecot23ExportedListKeepsUserPatternAndRunningTime()
    {
        UsageEvent e = Lines.Single(Lines.Exported23);
        Assert.Equal(new UsageEvent(UsageEventKind.Listed, "bob", "LIST", "*", null, DateTimeOffset.Parse("2026-11-29T21:43:35Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds(), 121, true), e);
    }

    [Fact]
    public void Dovecot24ExportedSelectNamesTheQuotedMailbox()
    {
        UsageEvent e = Lines.Single(Lines.Exported24);
        Assert.Equal((UsageEventKind.Used, "bob", "SELECT", "My Folder", 175L), (e.Kind, e.User, e.Command, e.Name, e.RunningUsecs));
    }

    [Theory]
    [InlineData(Lines.Created23, UsageEventKind.Created, "sub/Entw&APw-rfe", null)]
    [InlineData(Lines.Created24, UsageEventKind.Created, "sub/Entw&APw-rfe", null)]
    [InlineData(Lines.Deleted23, UsageEventKind.Deleted, "sub/Entw&APw-rfe", null)]
    [InlineData(Lines.Deleted24, UsageEventKind.Deleted, "sub/Entw&APw-rfe", null)]
    [InlineData(Lines.Renamed23, UsageEventKind.Renamed, "My Folder", "Your Folder")]
    [InlineData(Lines.Renamed24, UsageEventKind.Renamed, "My Folder", "Your Folder")]
    public void MailLogEventsOfBothGenerationsBecomeOnDiskNames(string line, UsageEventKind kind, string name, string? newName)
    {
        UsageEvent e = Lines.Single(line);
        Assert.Equal((kind, "bob", name, newName), (e.Kind, e.User, e.Name, e.NewName));
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 21, line.Contains("21:43", StringComparison.Ordinal) ? 43 : 44, line.Contains(":23 ", StringComparison.Ordinal) ? 23 : 8, TimeSpan.Zero).ToUnixTimeSeconds(), e.Time);
    }

    [Theory]
    [InlineData("Nov 29 21:43:23 mail dovecot: imap(bob)<2355><25/CLnFh+qB/AAAB>: Mailbox created: Archive")]
    [InlineData("Nov 29 21:43:23 mail dovecot[812]: imap(bob)<2355><25/CLnFh+qB/AAAB>: Info: Mailbox created: Archive")]
    [InlineData("2026-11-29T21:43:23.123456+00:00 mail dovecot: imap(bob)<2355><25/CLnFh+qB/AAAB>: Mailbox created: Archive")]
    [InlineData("2026-11-29 21:43:23 imap(bob)<2355><25/CLnFh+qB/AAAB>: Info: Mailbox created: Archive")]
    [InlineData("Nov 29 21:43:23 lmtp(bob)<2400><abc>: Info: Mailbox created: Archive")]
    public void SyslogAndLogPathFormsAreRead(string line)
    {
        UsageEvent e = Lines.Single(line);
        Assert.Equal((UsageEventKind.Created, "bob", "Archive"), (e.Kind, e.User, e.Name));
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 21, 43, 23, TimeSpan.Zero).ToUnixTimeSeconds(), e.Time);
    }

    [Fact]
    public void SyslogExportedLineIsRead()
    {
        UsageEvent e = Lines.Single(Lines.Exported24.Replace("21:44:08 stats: Info: ", "21:44:08 mail dovecot: stats: ", StringComparison.Ordinal));
        Assert.Equal("My Folder", e.Name);
    }

    [Fact]
    public void ADateAfterTheFilesTimeIsLastYear()
    {
        UsageEvent e = Lines.Single("Dec 31 23:59:59 imap(bob)<1><s>: Info: Mailbox created: Old");
        Assert.Equal(new DateTimeOffset(2025, 12, 31, 23, 59, 59, TimeSpan.Zero).ToUnixTimeSeconds(), e.Time);
    }

    [Theory]
    [InlineData("SELECT", "mail/Archive", "mail/Archive")]
    [InlineData("EXAMINE", "\"My \\\"Quoted\\\" \\\\ Folder\"", "My \"Quoted\" \\ Folder")]
    [InlineData("STATUS", "sub/Entw&APw-rfe (MESSAGES UNSEEN)", "sub/Entw&APw-rfe")]
    [InlineData("SELECT", "{4}\r\nSent", "Sent")]
    [InlineData("SELECT", "{6+}\r\nDrafts (CONDSTORE)", "Drafts")]
    [InlineData("APPEND", "\"Sent\" (\\Seen) \"29-Nov-2026 10:00:00 +0000\" <120 byte literal>", "Sent")]
    [InlineData("COPY", "1:5,7 \"Old Mail\"", "Old Mail")]
    [InlineData("UID MOVE", "100:* Trash", "Trash")]
    [InlineData("MOVE", "1 Junk", "Junk")]
    [InlineData("UID COPY", "4 {7}\r\nArchive", "Archive")]
    [InlineData("select", "inbox", "INBOX")]
    public void CommandsNameTheirMailbox(string command, string arguments, string name)
    {
        UsageEvent e = Lines.Single(Lines.Exported("bob", command, arguments));
        Assert.Equal((UsageEventKind.Used, name, command.ToUpperInvariant()), (e.Kind, e.Name, e.Command));
    }

    [Theory]
    [InlineData("LIST", "\"\" \"*\"", "*", true)]
    [InlineData("LIST", "\"\" %", "%", false)]
    [InlineData("LIST", "mail/ *", "mail/*", false)]
    [InlineData("LIST (SUBSCRIBED)", "(SUBSCRIBED) \"\" \"*\" RETURN (STATUS (MESSAGES))", "*", false)]
    [InlineData("LIST", "\"\" \"*\" RETURN (CHILDREN)", "*", true)]
    [InlineData("LSUB", "\"\" *", "*", false)]
    public void ListsKeepTheirPatternAndWhetherTheyWalkTheRoot(string command, string arguments, string pattern, bool fullTree)
    {
        UsageEvent e = Lines.Single(Lines.Exported("bob", command.Split(' ')[0], arguments, usecs: 5000));
        Assert.Equal((UsageEventKind.Listed, command, pattern, fullTree, 5000L), (e.Kind, e.Command, e.Name, e.FullTree, e.RunningUsecs));
    }

    [Fact]
    public void ListWithSeveralPatternsIsOneEventEach()
    {
        (LineVerdict verdict, List<UsageEvent> events) = Lines.Parse(Lines.Exported("bob", "LIST", "\"\" (\"*\" \"Archive\")"));
        Assert.Equal(LineVerdict.Event, verdict);
        Assert.Equal(["*", "Archive"], events.Select(e => e.Name));
    }

    [Fact]
    public void NamespacePrefixAndSeparatorAreTakenOff()
    {
        var courier = new MailboxNaming("INBOX.", '.');
        Assert.Equal("mail/Archive", Lines.Single(Lines.Exported("bob", "SELECT", "INBOX.mail.Archive"), courier).Name);
        Assert.Equal("INBOX", Lines.Single(Lines.Exported("bob", "SELECT", "INBOX"), courier).Name);
        Assert.Equal("Entw&APw-rfe", Lines.Single("Nov 29 21:43:23 imap(bob)<1><s>: Info: Mailbox created: INBOX.Entwürfe", courier).Name);
        Assert.True(Lines.Single(Lines.Exported("bob", "LIST", "\"\" \"INBOX.*\""), courier).FullTree);
        Assert.Equal(LineVerdict.OtherNamespace, Lines.Parse(Lines.Exported("bob", "SELECT", "shared.alice.INBOX"), courier).Verdict);
        Assert.Equal(LineVerdict.Malformed, Lines.Parse(Lines.Exported("bob", "SELECT", "INBOX.a/b"), courier).Verdict);
    }

    [Fact]
    public void FailedCommandsAreNotUse()
    {
        Assert.Equal(LineVerdict.Other, Lines.Parse(Lines.Exported("bob", "SELECT", "Gone", state: "NO")).Verdict);
    }

    [Theory]
    [InlineData("Nov 29 21:43:23 master: Info: Dovecot v2.3.19.1 (9b53102964) starting up for imap, pop3")]
    [InlineData("Nov 29 21:43:23 imap-login: Info: Login: user=<bob>, method=PLAIN, rip=127.0.0.1")]
    [InlineData("Nov 29 21:43:23 imap(bob)<2355><25/CLnFh+qB/AAAB>: Info: Disconnected: Logged out in=448 out=2509")]
    [InlineData("Nov 29 21:43:23 imap(bob)<2355><25/CLnFh+qB/AAAB>: Debug: Command finished: SELECT \"My Folder\"")]
    [InlineData("Nov 29 21:43:23 imap(bob)<2355><25/CLnFh+qB/AAAB>: Error: Mailbox created: not from mail_log")]
    [InlineData("Nov 29 21:43:23 imap(bob)<2355><25/CLnFh+qB/AAAB>: Info: save: box=INBOX, uid=1, msgid=<x@y>")]
    [InlineData("Nov 29 21:43:23 postfix/smtpd[123]: connect from unknown[10.0.0.1]")]
    [InlineData("")]
    [InlineData("stats")]
    public void OtherLinesAreIgnored(string line)
    {
        (LineVerdict verdict, List<UsageEvent> events) = Lines.Parse(line);
        Assert.Equal(LineVerdict.Other, verdict);
        Assert.Empty(events);
    }

    [Theory]
    [InlineData("SELECT", "\"unbalanced")]
    [InlineData("SELECT", "\"bad \\q escape\"")]
    [InlineData("SELECT", "{999}\r\nshort")]
    [InlineData("SELECT", "{x}\r\nSent")]
    [InlineData("SELECT", "{4}Sent")]
    [InlineData("SELECT", "")]
    [InlineData("SELECT", "Entw&APw")]
    [InlineData("SELECT", "Entw&AP!-rfe")]
    [InlineData("SELECT", "Entwürfe")]
    [InlineData("COPY", "1:5")]
    [InlineData("LIST", "(SUBSCRIBED \"\" *")]
    [InlineData("LIST", "\"\"")]
    [InlineData("SELECT", "a//b")]
    public void HostileArgumentsAreMalformed(string command, string arguments)
    {
        (LineVerdict verdict, List<UsageEvent> events) = Lines.Parse(Lines.Exported("bob", command, arguments));
        Assert.True(verdict == LineVerdict.Malformed || (verdict == LineVerdict.Event && events.All(e => e.Name.Length > 0)), $"{verdict}");
        if (arguments is "\"unbalanced" or "{999}\r\nshort" or "Entw&APw" or "Entwürfe" or "" or "(SUBSCRIBED \"\" *")
            Assert.Equal(LineVerdict.Malformed, verdict);
    }

    [Theory]
    [InlineData("LIST", "(SUBSCRIB\u0001ED) \"\" \"*\"")] // once a list of ever more empty options: memory until killed
    [InlineData("UID MOVE", "(1 \u0001) Archive")] // once a loop that never returned
    [InlineData("LIST", "\"\" \u0001")]
    [InlineData("SELECT", "\u0001Archive")]
    public async Task AControlCharacterInTheArgumentsIsMalformedNotALoop(string command, string arguments)
    {
        Task<LineVerdict> parse = Task.Run(() => Lines.Parse(Lines.Exported("bob", command, arguments)).Verdict);
        Assert.True(await Task.WhenAny(parse, Task.Delay(TimeSpan.FromSeconds(10))) == parse, "the parser did not return");
        Assert.Equal(LineVerdict.Malformed, await parse);
    }

    [Theory]
    [InlineData("""Nov 29 10:00:00 stats: Info: {"event":"imap_command_finished","fields":{"user":"bob","cmd_name":"SELECT","cmd_args":"Archive""")]
    [InlineData("""Nov 29 10:00:00 stats: Info: {"event":"imap_command_finished","fields":{"user":"bob","cmd_name":"SELECT"}}""")]
    [InlineData("""Nov 29 10:00:00 stats: Info: {"event":"imap_command_finished","fields":{"user":"bob","cmd_name":"SELECT","cmd_args":"bad \q escape"}}""")]
    [InlineData("""Nov 29 10:00:00 stats: Info: {"event":"imap_command_finished","fields":{"user":"bob","cmd_name":"SELECT","cmd_args":"\uD800"}}""")]
    [InlineData("""Nov 29 10:00:00 stats: Info: {"event":"imap_command_finished","fields":{"user":"","cmd_name":"SELECT","cmd_args":"A"}}""")]
    [InlineData("Nov 29 21:43:23 imap(bob)<1><s>: Info: Mailbox renamed: a -> b -> c")]
    [InlineData("Nov 29 21:43:23 imap(bob)<1><s>: Info: Mailbox created: a\u0001b")]
    [InlineData("Nov 29 21:43:23 imap(\u0001)<1><s>: Info: Mailbox created: a")]
    public void BrokenLinesOfOursAreMalformed(string line)
    {
        Assert.Equal(LineVerdict.Malformed, Lines.Parse(line).Verdict);
    }

    [Fact]
    public void AClientCannotForgeAFieldInsideAName()
    {
        // The name is escaped in the JSON: its "user":"root" is not the event's user.
        UsageEvent e = Lines.Single(Lines.Exported("bob", "SELECT", "\"x\\\",\\\"user\\\":\\\"root\\\"\""));
        Assert.Equal(("bob", "x\",\"user\":\"root\""), (e.User, e.Name));
    }

    [Fact]
    public void OverLongAndBinaryLinesAreMalformedOrIgnoredNeverFatal()
    {
        Assert.Equal(LineVerdict.Malformed, Lines.Parse(Lines.Exported("bob", "SELECT", new string('a', LogLineParser.MaxLineLength))).Verdict);
        var random = new Random(11);
        for (int i = 0; i < 20000; i++)
        {
            byte[] junk = new byte[random.Next(0, 300)];
            random.NextBytes(junk);
            if (i % 3 == 0)
            {
                byte[] prefix = System.Text.Encoding.UTF8.GetBytes(i % 2 == 0 ? "Nov 29 21:43:23 imap(bob)<1><s>: Info: Mailbox created: " : "Nov 29 10:00:00 stats: Info: {\"event\":\"imap_command_finished\",\"fields\":{\"user\":\"bob\",\"cmd_name\":\"SELECT\",\"cmd_args\":\"");
                junk = [.. prefix, .. junk];
            }
            (LineVerdict verdict, List<UsageEvent> events) = Lines.Parse(junk);
            Assert.True(verdict != LineVerdict.Event || events.All(e => e.User.Length > 0 && e.Name.Length > 0));
        }
    }
}
