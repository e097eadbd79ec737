using System.Text;

namespace DovecotRootHelper.Usage.Logs;

/// <summary>
/// One mail_log mailbox event, read exactly (mail-log-plugin.c, 2.3.19 and 2.4.1). 2.3 writes
/// "Mailbox created: NAME", "Mailbox deleted: NAME", "Mailbox renamed: A -> B"; 2.4 puts the name
/// in the mailbox event's prefix: "Mailbox NAME: Mailbox created|deleted", "Mailbox A: Mailbox
/// renamed: A -> B". Dovecot passes every name through str_sanitize: longer than 64 bytes (128 in
/// 2.4's prefix) it is cut to whole characters and "..." appended. A line is an event only when it
/// has one reading: a name holding the other generation's words (`Mailbox created: Foo: Mailbox
/// deleted` is 2.3 creating "Foo: Mailbox deleted" or 2.4 deleting "created: Foo"), or text a 2.4
/// message event could write (a header quoted after "Mailbox BOX: save: "), or a name Dovecot may
/// have cut, is <see cref="LineVerdict.Uncertain"/>: no name is better than a wrong one.
/// </summary>
internal readonly record struct MailLogMessage(LineVerdict Verdict, UsageEventKind Kind, string Name, string? NewName)
{
    /// <summary>mail_log's MAILBOX_NAME_LOG_LEN.</summary>
    public const int NameLimit = 64;

    /// <summary>2.4's mailbox_name_sanitize() for the "Mailbox NAME: " prefix.</summary>
    public const int PrefixLimit = 128;

    private const string Renamed24 = ": Mailbox renamed: ";

    // What follows "Mailbox BOX: " in 2.4's message events (save, "copy from X", expunge...): a
    // line holding one could be such an event quoting a sender's Message-ID or Subject.
    private static readonly string[] MessageEvents = [": save: ", ": copy from ", ": expunge: ", ": autoexpunge: ", ": flag_change: ", ": delete: ", ": undelete: "];

    /// <summary>Reads "Mailbox ..." (after the level); <see cref="LineVerdict.Other"/> when no form fits.</summary>
    public static MailLogMessage Read(string text)
    {
        MailLogMessage found = default;
        int readings = 0;
        string rest = text["Mailbox ".Length..];
        foreach ((string suffix, UsageEventKind kind) in (ReadOnlySpan<(string, UsageEventKind)>)[(": Mailbox created", UsageEventKind.Created), (": Mailbox deleted", UsageEventKind.Deleted)])
        {
            if (rest.Length > suffix.Length && rest.EndsWith(suffix, StringComparison.Ordinal))
                Reading(ref found, ref readings, Checked(kind, rest[..^suffix.Length], PrefixLimit, null));
        }
        // The prefix carries the old name cut at 128 bytes, the message the same name cut at 64.
        for (int at = rest.IndexOf(Renamed24, StringComparison.Ordinal); at > 0; at = rest.IndexOf(Renamed24, at + 1, StringComparison.Ordinal))
        {
            string from = rest[..at];
            string after = rest[(at + Renamed24.Length)..];
            string logged = Shorten(from, NameLimit) + " -> ";
            if (after.Length > logged.Length && after.StartsWith(logged, StringComparison.Ordinal))
                Reading(ref found, ref readings, Checked(UsageEventKind.Renamed, from, PrefixLimit, after[logged.Length..]));
        }
        if (text.StartsWith("Mailbox created: ", StringComparison.Ordinal))
            Reading(ref found, ref readings, Checked(UsageEventKind.Created, text["Mailbox created: ".Length..], NameLimit, null));
        else if (text.StartsWith("Mailbox deleted: ", StringComparison.Ordinal))
            Reading(ref found, ref readings, Checked(UsageEventKind.Deleted, text["Mailbox deleted: ".Length..], NameLimit, null));
        else if (text.StartsWith("Mailbox renamed: ", StringComparison.Ordinal))
        {
            string names = text["Mailbox renamed: ".Length..];
            int arrow = names.IndexOf(" -> ", StringComparison.Ordinal);
            // Two arrows leave it open which one separates the names: better no event than a wrong one.
            if (arrow <= 0 || names.IndexOf(" -> ", arrow + 1, StringComparison.Ordinal) >= 0 || arrow + 4 >= names.Length)
                Reading(ref found, ref readings, new MailLogMessage(LineVerdict.Malformed, UsageEventKind.Renamed, "", null));
            else
                Reading(ref found, ref readings, Checked(UsageEventKind.Renamed, names[..arrow], NameLimit, names[(arrow + 4)..]));
        }
        if (readings == 0)
            return default;
        if (readings > 1 || (found.Verdict == LineVerdict.Event && IsMessageEventLike(rest)))
            return new MailLogMessage(LineVerdict.Uncertain, found.Kind, "", null);
        return found;
    }

    private static void Reading(ref MailLogMessage found, ref int readings, MailLogMessage reading)
    {
        found = reading;
        readings++;
    }

    private static MailLogMessage Checked(UsageEventKind kind, string name, int limit, string? newName) =>
        IsShortened(name, limit) || newName is not null && IsShortened(newName, NameLimit)
            ? new MailLogMessage(LineVerdict.Uncertain, kind, "", null)
            : new MailLogMessage(LineVerdict.Event, kind, name, newName);

    private static bool IsMessageEventLike(string rest)
    {
        foreach (string words in MessageEvents)
        {
            if (rest.Contains(words, StringComparison.Ordinal))
                return true;
        }
        return false;
    }

    /// <summary>
    /// Whether str_sanitize(name, limit) may have cut the name: it keeps at most limit - 3 bytes
    /// of whole characters, at least limit - 6 (a four-byte character), and appends "...". A
    /// real name of that length ending in "..." cannot be told apart: it counts as cut.
    /// </summary>
    public static bool IsShortened(string name, int limit)
    {
        if (!name.EndsWith("...", StringComparison.Ordinal))
            return false;
        int bytes = Encoding.UTF8.GetByteCount(name);
        return bytes >= limit - 3 && bytes <= limit;
    }

    /// <summary>str_sanitize(name, limit) for a name of valid UTF-8 without control characters.</summary>
    public static string Shorten(string name, int limit)
    {
        if (Encoding.UTF8.GetByteCount(name) <= limit)
            return name;
        // Dovecot keeps whole characters up to the limit, then takes whole characters off until at
        // most limit - 3 bytes remain: the longest run of whole characters within limit - 3 bytes.
        int chars = 0, bytes = 0;
        foreach (Rune rune in name.EnumerateRunes())
        {
            if (bytes + rune.Utf8SequenceLength > limit - 3)
                break;
            chars += rune.Utf16SequenceLength;
            bytes += rune.Utf8SequenceLength;
        }
        return name[..chars] + "...";
    }
}
