namespace DovecotRootHelper.Migration;

/// <summary>
/// The output of <c>doveadm -f flow who -1 USER</c>: one line per session,
/// <c>username=alice proto=imap pid=12 ip=127.0.0.1</c> (2.3.19) or
/// <c>username=alice service=imap pid=12 ip=127.0.0.1 dest_ip=</c> (2.4.1), and nothing at all
/// when there is none. The flow formatter prints no header on either generation, unlike the default
/// table (whose header 2.4 prints even with no session) and <c>-f tab</c>; <c>-f json</c> would do
/// too but needs a JSON parser for a yes/no question. Any other line means the command is not what
/// this parser expects, which the caller must not take for "no sessions".
/// </summary>
internal sealed record WhoOutput(IReadOnlyList<string> Sessions, string? Unexpected)
{
    public static WhoOutput Parse(string output)
    {
        var sessions = new List<string>();
        foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!line.StartsWith("username=", StringComparison.Ordinal))
                return new WhoOutput(sessions, line);
            sessions.Add(line);
        }
        return new WhoOutput(sessions, null);
    }
}
