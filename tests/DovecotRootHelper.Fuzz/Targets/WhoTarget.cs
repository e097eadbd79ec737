using System.Text;
using DovecotRootHelper.Migration;

namespace DovecotRootHelper.Fuzz.Targets;

/// <summary>
/// <c>doveadm -f flow who -1 USER</c>'s output. No rejection: an unexpected line is reported in the
/// result. Every session is one trimmed line starting <c>username=</c>; text with a non-blank line
/// is never read as "no sessions" without saying what was unexpected.
/// </summary>
internal static class WhoTarget
{
    public static void Run(byte[] input)
    {
        string text = Encoding.UTF8.GetString(input);
        WhoOutput who = WhoOutput.Parse(text);
        FuzzFindingException.Unless(who.Sessions.All(s => s.StartsWith("username=", StringComparison.Ordinal) && !s.Contains('\n', StringComparison.Ordinal)), "a session that is not a username= line");
        FuzzFindingException.Unless(who.Sessions.Count > 0 || who.Unexpected is not null || text.Split('\n').All(l => l.Trim().Length == 0), "output with a line read as no sessions and nothing unexpected");
    }
}
