using System.Text;
using System.Text.Unicode;

namespace DovecotRootHelper.Usage.Logs;

/// <summary>
/// Reads the lines the usage-logging snippet makes Dovecot write, in its own log_path form
/// ("Nov 29 21:44:08 imap(bob)&lt;pid&gt;&lt;session&gt;: Info: ...") and in syslog's ("... host dovecot:
/// imap(bob)...", with or without the level; only under Dovecot's own tag, see FindProcess): the stats exporter's JSON events for
/// imap_command_finished, and mail_log's mailbox create, delete and rename (2.3: "Mailbox
/// created: X"; 2.4: "Mailbox X: Mailbox created"). log_debug's "Command finished: SELECT ..."
/// lines are not read: they carry no running time, on 2.3 no outcome (a failed SELECT of a name
/// that does not exist looks the same), and beside the exporter they would count every command twice.
/// Never throws: a line of ours it cannot read is <see cref="LineVerdict.Malformed"/>.
/// </summary>
public sealed class LogLineParser(MailboxNaming naming)
{
    /// <summary>Longer lines are counted as malformed and skipped: no Dovecot event of ours comes near it.</summary>
    public const int MaxLineLength = 64 * 1024;

    private const int MaxPrefixTokens = 12;

    private readonly List<string> _scratch = [];

    // The decoded user, command and arguments of an exported line (together no longer than the line).
    private readonly char[] _fields = new char[MaxLineLength];

    // A reference and pattern joined: at most the arguments' length.
    private readonly char[] _pattern = new char[MaxLineLength];

    // Every line names a user and most a mailbox: each distinct one becomes a string (and is checked) once.
    private readonly NameTable<string> _users = new(user => user);
    private readonly NameTable<string> _patterns = new(pattern => pattern);
    private readonly NameTable<(string? Name, LineVerdict Verdict)> _clientNames = new(raw => (naming.FromClient(raw, out LineVerdict verdict), verdict));

    public MailboxNaming Naming { get; } = naming;

    /// <summary>Parses one line (without its newline) and appends its events to <paramref name="events"/>.</summary>
    /// <param name="reference">The file's modification time: the year of "Mmm dd" timestamps.</param>
    /// <param name="fallbackTime">The time for a line without a timestamp of its own (the previous line's).</param>
    public LineVerdict Parse(ReadOnlySpan<byte> line, DateTimeOffset reference, long fallbackTime, List<UsageEvent> events)
    {
        if (line.Length > MaxLineLength)
            return LineVerdict.Malformed;
        if (!FindProcess(line, out int processStart, out bool isStats))
            return LineVerdict.Other;
        if (isStats)
        {
            ReadOnlySpan<byte> message = SkipLevel(line[(processStart + "stats: ".Length)..], out bool levelOk);
            return levelOk && message.StartsWith("{\"event\":\"imap_command_finished\""u8) ? Exported(message, line, reference, fallbackTime, events) : LineVerdict.Other;
        }
        if (!ServicePrefix(line[processStart..], out ReadOnlySpan<byte> user, out int messageStart))
            return messageStart < 0 ? LineVerdict.Other : LineVerdict.Malformed;
        ReadOnlySpan<byte> rest = SkipLevel(line[(processStart + messageStart)..], out bool ok);
        if (!ok)
            return LineVerdict.Other;
        if (rest.StartsWith("Mailbox "u8))
            return MailLog(User(user), rest, LogTimestamp.Parse(line, reference) ?? fallbackTime, events);
        return LineVerdict.Other;
    }

    // A user name already checked as UTF-8, as a string made once.
    private string User(ReadOnlySpan<byte> name)
    {
        Span<char> text = _fields;
        return _users[text[..Encoding.UTF8.GetChars(name, text)]];
    }

    // The token that starts Dovecot's own prefix: "stats:" or "service(user)...", after the
    // timestamp and, in syslog, the host and Dovecot's tag. Syslog holds every program's lines, and
    // any of them can quote a line of Dovecot's (logger, a mail header in postfix's warnings): a
    // token ending in ':' before the prefix is a tag, and only Dovecot's own, "dovecot:" or
    // "dovecot[pid]:" (openlog() with instance_name, master-service.c), right before it will do.
    // Dovecot's log_path file has no tag: its first such token is the prefix itself.
    private static bool FindProcess(ReadOnlySpan<byte> line, out int start, out bool isStats)
    {
        start = 0;
        isStats = false;
        int position = 0;
        bool afterTag = false;
        for (int token = 0; token < MaxPrefixTokens && position < line.Length; token++)
        {
            ReadOnlySpan<byte> rest = line[position..];
            if (rest.StartsWith("stats: "u8))
            {
                start = position;
                isStats = true;
                return true;
            }
            int i = 0;
            while (i < rest.Length && (rest[i] is >= (byte)'a' and <= (byte)'z' or >= (byte)'0' and <= (byte)'9' or (byte)'-'))
                i++;
            if (i > 0 && i < rest.Length && rest[i] == '(' && rest[0] is >= (byte)'a' and <= (byte)'z')
            {
                start = position;
                return true;
            }
            int space = rest.IndexOf((byte)' ');
            if (space < 0 || afterTag)
                return false;
            if (space > 0 && rest[space - 1] == ':')
            {
                if (!IsDovecotTag(rest[..space]))
                    return false;
                afterTag = true;
            }
            position += space + 1;
            while (position < line.Length && line[position] == ' ')
                position++;
        }
        return false;
    }

    // "dovecot:" or "dovecot[pid]:".
    private static bool IsDovecotTag(ReadOnlySpan<byte> token)
    {
        if (!token.StartsWith("dovecot"u8))
            return false;
        token = token["dovecot".Length..^1];
        return token.Length == 0 || (token.Length > 2 && token[0] == '[' && token[^1] == ']' && !token[1..^1].ContainsAnyExceptInRange((byte)'0', (byte)'9'));
    }

    // "imap(bob)<pid><session>: ": the user (valid UTF-8, no control characters), and where the
    // message starts. Without the closing "): " or ")<...>: " it is not a Dovecot prefix
    // (messageStart -1); with it, a name that is not valid is false with messageStart set.
    private static bool ServicePrefix(ReadOnlySpan<byte> text, out ReadOnlySpan<byte> user, out int messageStart)
    {
        user = default;
        messageStart = -1;
        int open = text.IndexOf((byte)'(');
        int close = -1;
        for (int i = open + 1; i < text.Length - 1; i++)
        {
            int at = text[i..].IndexOf((byte)')');
            if (at < 0)
                return false;
            i += at;
            if (i + 1 < text.Length && text[i + 1] is (byte)'<' or (byte)':')
            {
                close = i;
                break;
            }
        }
        if (close < 0)
            return false;
        int position = close + 1;
        while (position < text.Length && text[position] == '<')
        {
            int end = text[position..].IndexOf((byte)'>');
            if (end < 0)
                return false;
            position += end + 1;
        }
        if (!text[position..].StartsWith(": "u8))
            return false;
        ReadOnlySpan<byte> name = text[(open + 1)..close];
        messageStart = position + 2;
        if (name.Length == 0 || !Utf8.IsValid(name) || name.IndexOfAnyInRange((byte)0, (byte)0x1F) >= 0)
            return false;
        user = name;
        return true;
    }

    private static ReadOnlySpan<byte> SkipLevel(ReadOnlySpan<byte> message, out bool ok)
    {
        ok = true;
        if (message.StartsWith("Info: "u8))
            return message["Info: ".Length..];
        if (message.StartsWith("Debug: "u8))
            return message["Debug: ".Length..];
        if (message.StartsWith("Warning: "u8) || message.StartsWith("Error: "u8) || message.StartsWith("Fatal: "u8) || message.StartsWith("Panic: "u8))
            ok = false;
        return message;
    }

    private LineVerdict Exported(ReadOnlySpan<byte> json, ReadOnlySpan<byte> line, DateTimeOffset reference, long fallbackTime, List<UsageEvent> events)
    {
        Span<char> fields = _fields;
        if (ExportedEvent.TryString(json, "\"tagged_reply_state\":"u8, fields, out int length) && !fields[..length].SequenceEqual("OK"))
            return LineVerdict.Other;
        if (!ExportedEvent.TryString(json, "\"user\":"u8, fields, out int userLength) || userLength == 0)
            return LineVerdict.Malformed;
        ReadOnlySpan<char> user = fields[..userLength];
        fields = fields[userLength..];
        if (!ExportedEvent.TryString(json, "\"cmd_name\":"u8, fields, out length))
            return LineVerdict.Malformed;
        ReadOnlySpan<char> command = fields[..length];
        fields = fields[length..];
        if (!ExportedEvent.TryString(json, "\"cmd_args\":"u8, fields, out length) || !json.EndsWith("}"u8))
            return LineVerdict.Malformed;
        ReadOnlySpan<char> arguments = fields[..length];
        long? time = null;
        if (ExportedEvent.TryGetRaw(json, "\"start_time\":"u8, out ReadOnlySpan<byte> start, out bool isString) && isString)
            time = LogTimestamp.Parse(start, DateTimeOffset.UnixEpoch);
        time ??= LogTimestamp.Parse(line, reference) ?? fallbackTime;
        long running = ExportedEvent.Number(json, "\"running_usecs\":"u8);
        return Command(user, command, arguments, time.Value, running, events);
    }

    private LineVerdict Command(ReadOnlySpan<char> user, ReadOnlySpan<char> command, ReadOnlySpan<char> arguments, long time, long running, List<UsageEvent> events)
    {
        Span<char> upper = stackalloc char[9]; // "UID MOVE" and one more: longer is none of ours
        if (command.Length >= upper.Length)
            return LineVerdict.Other;
        upper = upper[..command.ToUpperInvariant(upper)];
        var reader = new ImapArguments(arguments);
        switch (upper)
        {
            case "SELECT" or "EXAMINE" or "STATUS" or "APPEND":
                return Used(user, Known(upper), ref reader, time, running, events);
            case "COPY" or "MOVE" or "UID COPY" or "UID MOVE":
                return reader.TrySkip() ? Used(user, Known(upper), ref reader, time, running, events) : LineVerdict.Malformed;
            case "LIST" or "LSUB":
                return Listed(_users[user], Known(upper), ref reader, time, running, events);
            default:
                return LineVerdict.Other;
        }
    }

    // The command's name as a string without making one per line.
    private static string Known(ReadOnlySpan<char> command) => command switch
    {
        "SELECT" => "SELECT",
        "EXAMINE" => "EXAMINE",
        "STATUS" => "STATUS",
        "APPEND" => "APPEND",
        "COPY" => "COPY",
        "MOVE" => "MOVE",
        "UID COPY" => "UID COPY",
        "UID MOVE" => "UID MOVE",
        "LIST" => "LIST",
        "LSUB" => "LSUB",
        _ => command.ToString(),
    };

    private LineVerdict Used(ReadOnlySpan<char> user, string command, ref ImapArguments reader, long time, long running, List<UsageEvent> events)
    {
        if (!reader.TryRead(out ReadOnlySpan<char> raw))
            return LineVerdict.Malformed;
        (string? name, LineVerdict verdict) = _clientNames[raw];
        if (name is null)
            return verdict;
        events.Add(new UsageEvent(UsageEventKind.Used, _users[user], command, name, null, time, running, false));
        return LineVerdict.Event;
    }

    private LineVerdict Listed(string user, string command, ref ImapArguments reader, long time, long running, List<UsageEvent> events)
    {
        _scratch.Clear();
        bool subscribedOnly = command == "LSUB";
        if (command == "LIST" && reader.AtList())
        {
            if (!reader.TryReadStringList(_scratch))
                return LineVerdict.Malformed;
            foreach (string option in _scratch)
                subscribedOnly |= option.Equals("SUBSCRIBED", StringComparison.OrdinalIgnoreCase);
            _scratch.Clear();
        }
        if (!reader.TryRead(out ReadOnlySpan<char> reference))
            return LineVerdict.Malformed;
        ReadOnlySpan<char> pattern = default;
        bool several = reader.AtList();
        if (several)
        {
            if (!reader.TryReadStringList(_scratch) || _scratch.Count == 0)
                return LineVerdict.Malformed;
        }
        else if (!reader.TryRead(out pattern))
        {
            return LineVerdict.Malformed;
        }
        // LIST (SUBSCRIBED) reads the subscriptions file, not the tree: kept apart from a plain LIST.
        if (command == "LIST" && subscribedOnly)
            command = "LIST (SUBSCRIBED)";
        if (!several)
            Add(Pattern(reference, pattern));
        foreach (string each in _scratch)
            Add(Pattern(reference, each));
        return LineVerdict.Event;

        void Add(string combined) =>
            events.Add(new UsageEvent(UsageEventKind.Listed, user, command, combined, null, time, running, !subscribedOnly && IsFullTree(combined)));
    }

    // The reference and pattern as one string, made once per distinct pattern.
    private string Pattern(ReadOnlySpan<char> reference, ReadOnlySpan<char> pattern)
    {
        Span<char> combined = _pattern.AsSpan(0, reference.Length + pattern.Length);
        reference.CopyTo(combined);
        pattern.CopyTo(combined[reference.Length..]);
        return _patterns[combined];
    }

    // Whether the pattern asks for every mailbox below the root: the first wildcard is '*' and
    // nothing but the namespace prefix comes before it.
    private bool IsFullTree(string pattern)
    {
        if (Naming.Prefix.Length > 0 && pattern.StartsWith(Naming.Prefix, StringComparison.Ordinal))
            pattern = pattern[Naming.Prefix.Length..];
        return pattern.StartsWith('*');
    }

    private LineVerdict MailLog(string user, ReadOnlySpan<byte> message, long time, List<UsageEvent> events)
    {
        if (!Utf8.IsValid(message))
            return LineVerdict.Malformed;
        MailLogMessage read = MailLogMessage.Read(Encoding.UTF8.GetString(message));
        return read.Verdict == LineVerdict.Event ? Life(user, read.Kind, read.Name, read.NewName, time, events) : read.Verdict;
    }

    private LineVerdict Life(string user, UsageEventKind kind, string name, string? newName, long time, List<UsageEvent> events)
    {
        string? local = Naming.FromMailLog(name, out LineVerdict verdict);
        if (local is null)
            return verdict;
        string? localNew = null;
        if (newName is not null)
        {
            localNew = Naming.FromMailLog(newName, out verdict);
            if (localNew is null)
                return verdict;
        }
        events.Add(new UsageEvent(kind, user, "mail_log", local, localNew, time, 0, false));
        return LineVerdict.Event;
    }
}
