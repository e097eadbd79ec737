using System.Globalization;

namespace DovecotRootHelper.Migration;

/// <summary>
/// One location's mailboxes as Dovecot counts them: per mailbox the messages, UIDVALIDITY and
/// UIDNEXT, and the subscriptions. Two censuses that agree mean a client sees the same mail with
/// the same UIDs, so it re-downloads nothing.
/// </summary>
public sealed record MailboxCensus(IReadOnlyDictionary<string, MailboxCount> Mailboxes, IReadOnlySet<string> Subscribed)
{
    public long Messages => Mailboxes.Values.Sum(m => (long)m.Messages);

    /// <summary>Parses <c>doveadm -f tab mailbox status 'messages uidvalidity uidnext' '*'</c> and <c>doveadm -f tab mailbox list -s</c>.</summary>
    public static MailboxCensus Parse(string status, string subscribed, string where)
    {
        var mailboxes = new SortedDictionary<string, MailboxCount>(StringComparer.Ordinal);
        string[] lines = status.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0)
            throw new MigrationException($"{where}: doveadm mailbox status printed nothing");
        string[] header = lines[0].Split('\t');
        int name = Array.IndexOf(header, "mailbox");
        int messages = Array.IndexOf(header, "messages");
        int uidvalidity = Array.IndexOf(header, "uidvalidity");
        int uidnext = Array.IndexOf(header, "uidnext");
        if (name < 0 || messages < 0 || uidvalidity < 0 || uidnext < 0)
            throw new MigrationException($"{where}: doveadm mailbox status printed no mailbox, messages, uidvalidity and uidnext columns ('{lines[0]}')");
        foreach (string line in lines.Skip(1))
        {
            string[] fields = line.Split('\t');
            if (fields.Length != header.Length)
                throw new MigrationException($"{where}: doveadm mailbox status printed '{line}'");
            mailboxes[fields[name]] = new MailboxCount(Number(fields[messages], line, where), Number(fields[uidvalidity], line, where), Number(fields[uidnext], line, where));
        }
        // The list's first line is its header ("mailbox").
        HashSet<string> subscriptions = [.. subscribed.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)];
        return new MailboxCensus(mailboxes, subscriptions);
    }

    /// <summary>How <paramref name="copy"/> differs from this census, in one line; null when a client would see the same.</summary>
    public string? Difference(MailboxCensus copy, string copyName)
    {
        ArgumentNullException.ThrowIfNull(copy);
        foreach ((string mailbox, MailboxCount count) in Mailboxes)
        {
            if (!copy.Mailboxes.TryGetValue(mailbox, out MailboxCount? copied))
                return $"mailbox '{mailbox}' is missing from {copyName}";
            if (copied != count)
                return $"mailbox '{mailbox}' has {copied} in {copyName}, {count} before";
        }
        if (copy.Mailboxes.Keys.FirstOrDefault(m => !Mailboxes.ContainsKey(m)) is { } extra)
            return $"{copyName} has a mailbox '{extra}' the original has not";
        if (!Subscribed.SetEquals(copy.Subscribed))
            return $"the subscriptions differ: {string.Join(", ", Subscribed.Order(StringComparer.Ordinal))} before, {string.Join(", ", copy.Subscribed.Order(StringComparer.Ordinal))} in {copyName}";
        return null;
    }

    private static uint Number(string text, string line, string where) =>
        uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out uint value)
            ? value
            : throw new MigrationException($"{where}: doveadm mailbox status printed '{line}'");
}
