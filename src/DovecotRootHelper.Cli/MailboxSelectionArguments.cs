using DovecotRootHelper.Migration;

namespace DovecotRootHelper.Cli;

/// <summary>The mailboxes an administrator names with <c>--mailbox NAME</c> and <c>--mailboxes-from FILE</c> (one name a line).</summary>
internal static class MailboxSelectionArguments
{
    public static MailboxSelection From(Arguments arguments, TextReader standardInput)
    {
        var given = new List<string>(arguments.Values("--mailbox"));
        string? file = arguments.Value("--mailboxes-from");
        if (file is not null)
        {
            string text = InputFile.Read("--mailboxes-from", file, standardInput);
            // Mailbox names may hold blanks and '#', so every non-empty line is a name as written.
            given.AddRange(text.Split('\n').Select(line => line.TrimEnd('\r')).Where(line => line.Length > 0));
        }
        if (given.Count == 0)
            return MailboxSelection.None;
        return new MailboxSelection(given.Distinct(StringComparer.Ordinal).ToList(), []);
    }
}
