using DovecotRootHelper.Usage.Logs;

namespace DovecotRootHelper.Usage.Tests;

/// <summary>
/// mail_log shortens a name longer than 64 bytes to at most 61 and appends "..." (str_sanitize
/// in mail-log-plugin.c; 128 bytes for 2.4's "Mailbox NAME: " prefix), and 2.3's and 2.4's forms
/// can read the same line two ways: neither is a mailbox name to record.
/// </summary>
public class MailLogNamesAreExact
{
    private static readonly string Full = new('a', 64);
    // What Dovecot's str_sanitize(name, 64) writes for it.
    private static readonly string Long64 = new string('a', 61) + "...";
    private static readonly string Long128 = new string('b', 125) + "...";

    [Theory]
    [InlineData("Mailbox created: {0}")]
    [InlineData("Mailbox deleted: {0}")]
    [InlineData("Mailbox renamed: {0} -> New")]
    [InlineData("Mailbox renamed: Old -> {0}")]
    [InlineData("Mailbox Old: Mailbox renamed: Old -> {0}")]
    public void AShortenedNameIsNotRecorded(string message)
    {
        (LineVerdict verdict, List<UsageEvent> events) = Lines.Parse("Nov 29 21:43:23 imap(bob)<1><s>: Info: " + string.Format(System.Globalization.CultureInfo.InvariantCulture, message, Long64));
        Assert.Empty(events);
        Assert.Equal(LineVerdict.Uncertain, verdict);
    }

    [Fact]
    public void A2Point4RenameTakesTheOldNameFromThePrefixWhichIsCutLater()
    {
        // The prefix keeps 128 bytes: a 70-byte name there is whole, though the message cuts it.
        string seventy = new('a', 70);
        UsageEvent e = Lines.Single($"Nov 29 21:43:23 imap(bob)<1><s>: Info: Mailbox {seventy}: Mailbox renamed: {Long64} -> New");
        Assert.Equal((UsageEventKind.Renamed, seventy, "New"), (e.Kind, e.Name, e.NewName));
        // A name that ends in dots and is whole in the prefix is that name.
        e = Lines.Single($"Nov 29 21:43:23 imap(bob)<1><s>: Info: Mailbox {Long64}: Mailbox renamed: {Long64} -> New");
        Assert.Equal(Long64, e.Name);
    }

    [Theory]
    [InlineData("Mailbox {0}: Mailbox created")]
    [InlineData("Mailbox {0}: Mailbox deleted")]
    public void AShortenedPrefixNameIsNotRecorded(string message)
    {
        (LineVerdict verdict, List<UsageEvent> events) = Lines.Parse("Nov 29 21:43:23 imap(bob)<1><s>: Info: " + string.Format(System.Globalization.CultureInfo.InvariantCulture, message, Long128));
        Assert.Empty(events);
        Assert.Equal(LineVerdict.Uncertain, verdict);
    }

    [Fact]
    public void AShortenedMultiByteNameIsRecognised()
    {
        // 16 or more four-byte characters: Dovecot reads 64 bytes, cuts whole characters until at
        // most 61 remain (60) and appends "...": 63 bytes.
        string name = string.Concat(Enumerable.Repeat("\U0001F600", 15)) + "...";
        Assert.Equal(LineVerdict.Uncertain, Lines.Parse("Nov 29 21:43:23 imap(bob)<1><s>: Info: Mailbox created: " + name).Verdict);
    }

    [Theory]
    [InlineData("Mailbox created: Wait...")]
    [InlineData("Mailbox created: {0}")]
    public void ANameThatIsNotShortenedIsRecorded(string message)
    {
        // 64 bytes without the dots, or dots on a name too short to have been cut: Dovecot's own names.
        UsageEvent e = Lines.Single("Nov 29 21:43:23 imap(bob)<1><s>: Info: " + string.Format(System.Globalization.CultureInfo.InvariantCulture, message, Full));
        Assert.Equal(UsageEventKind.Created, e.Kind);
    }

    [Theory]
    // 2.3: "Foo: Mailbox deleted" created; 2.4: "created: Foo" deleted.
    [InlineData("Mailbox created: Foo: Mailbox deleted")]
    [InlineData("Mailbox deleted: Foo: Mailbox created")]
    [InlineData("Mailbox created: Foo: Mailbox created")]
    // 2.3: "A: Mailbox renamed: renamed: A" renamed to B; 2.4: "renamed: A" renamed to B.
    [InlineData("Mailbox renamed: A: Mailbox renamed: renamed: A -> B")]
    // 2.3: a name with ": Mailbox renamed: " in it created.
    [InlineData("Mailbox created: X: Mailbox renamed: created: X -> Y")]
    public void ALineBothGenerationsWouldWriteIsNotGuessed(string message)
    {
        (LineVerdict verdict, List<UsageEvent> events) = Lines.Parse("Nov 29 21:43:23 imap(bob)<1><s>: Info: " + message);
        Assert.Empty(events);
        Assert.Equal(LineVerdict.Uncertain, verdict);
    }

    [Theory]
    // A 2.4 message event (mail_log_events with save) quoting a sender's Message-ID.
    [InlineData("Mailbox INBOX: save: box=INBOX, uid=7, msgid=<x: Mailbox created")]
    // 2.4's message event for a mailbox named "deleted".
    [InlineData("Mailbox deleted: copy from INBOX: box=deleted, uid=3, msgid=<a -> b>")]
    public void AMessageEventIsNotAMailboxEvent(string message)
    {
        (LineVerdict verdict, List<UsageEvent> events) = Lines.Parse("Nov 29 21:43:23 imap(bob)<1><s>: Info: " + message);
        Assert.Empty(events);
        Assert.Equal(LineVerdict.Uncertain, verdict);
    }

    [Theory]
    [InlineData("Mailbox Foo: Mailbox deleted: x: Mailbox deleted", UsageEventKind.Deleted, "Foo: Mailbox deleted: x")]
    [InlineData("Mailbox A -> B: Mailbox renamed: A -> B -> C", UsageEventKind.Renamed, "A -> B")]
    [InlineData("Mailbox created: A -> B", UsageEventKind.Created, "A -> B")]
    [InlineData("Mailbox deleted: Mailbox X", UsageEventKind.Deleted, "Mailbox X")]
    [InlineData("Mailbox INBOX: Mailbox created", UsageEventKind.Created, "INBOX")]
    public void NamesWithDovecotsWordsInThemAreReadExactly(string message, UsageEventKind kind, string name)
    {
        UsageEvent e = Lines.Single("Nov 29 21:43:23 imap(bob)<1><s>: Info: " + message);
        Assert.Equal((kind, name), (e.Kind, e.Name));
    }
}
