using System.Text;
using DovecotRootHelper.Posix;

namespace DovecotRootHelper.LoginHook;

/// <summary>
/// The one line the hook ever writes to stdout (the client's socket) before giving up on a login:
/// an untagged BYE for IMAP, a -ERR for POP3, both saying the failure is temporary.
/// </summary>
internal static class LoginRefusal
{
    public const string BeingMoved = "Your mailbox is being moved; please try again in a few minutes.";
    public const string Unavailable = "Mail service is temporarily unavailable; please try again later.";

    public static string Line(bool pop3, string reason) =>
        pop3 ? $"-ERR [SYS/TEMP] {reason}\r\n" : $"* BYE [UNAVAILABLE] {reason}\r\n";

    public static int Refuse(bool pop3, string reason) => Refuse(pop3, reason, Sys.StandardOutput);

    /// <summary>Writes the refusal line to the client's socket <paramref name="client"/>.</summary>
    public static int Refuse(bool pop3, string reason, int client)
    {
        try
        {
            Sys.WriteAll(client, Encoding.ASCII.GetBytes(Line(pop3, reason)), "the client's socket");
        }
        catch (IOException)
        {
            // The client has gone; the login is refused all the same.
        }
        return ExitCodes.Ok;
    }
}
