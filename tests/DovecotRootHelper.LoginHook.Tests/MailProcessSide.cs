namespace DovecotRootHelper.LoginHook.Tests;

/// <summary>
/// Plays imap's side of script-login's hand-off: starts a program with fd 3 on one Unix socket
/// (the socket back to the mail process) and stdin/stdout on another (the client's), then reads
/// what arrives on fd 3's other end: the userdb reply line and the descriptor sent with it.
/// </summary>
public static class MailProcessSide
{
    /// <summary>What the program handed back: the reply line (null if none), whether the descriptor it sent is our client socket, stdout, stderr.</summary>
    public sealed record Handoff(int ExitCode, string? Reply, bool SentClientSocket, string ClientSaw, string Stderr);

    /// <summary>Runs <paramref name="binary"/>; with <paramref name="mailSocket"/> false fd 3 is left closed.</summary>
    public static Handoff Run(string binary, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, string stderrPath, bool mailSocket = true, bool mailProcessGone = false)
    {
        (int mailOurs, int mailTheirs) = NativeIpc.SocketPair();
        (int clientOurs, int clientTheirs) = NativeIpc.SocketPair();
        try
        {
            if (mailProcessGone)
            {
                NativeIpc.Close(mailOurs);
                mailOurs = -1;
            }
            var descriptors = new List<(int, int)> { (clientTheirs, 0), (clientTheirs, 1) };
            if (mailSocket)
                descriptors.Add((mailTheirs, 3));
            int pid = NativeIpc.Spawn(binary, arguments, environment, descriptors, stderrPath);
            ulong clientEnd = NativeIpc.Inode(clientTheirs);
            NativeIpc.Close(mailTheirs);
            mailTheirs = -1;
            NativeIpc.Close(clientTheirs);
            clientTheirs = -1;
            int exit = NativeIpc.WaitOrKill(pid);
            string? reply = null;
            bool sentClient = false;
            if (mailOurs >= 0)
            {
                (reply, int received) = NativeIpc.Receive(mailOurs);
                if (received >= 0)
                {
                    sentClient = NativeIpc.Inode(received) == clientEnd;
                    NativeIpc.Close(received);
                }
            }
            return new Handoff(exit, reply, sentClient, NativeIpc.Drain(clientOurs), File.ReadAllText(stderrPath));
        }
        finally
        {
            NativeIpc.Close(mailOurs);
            NativeIpc.Close(mailTheirs);
            NativeIpc.Close(clientOurs);
            NativeIpc.Close(clientTheirs);
        }
    }
}
