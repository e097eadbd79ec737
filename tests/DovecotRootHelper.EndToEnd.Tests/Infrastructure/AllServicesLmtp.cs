using System.Net.Sockets;
using System.Text;

namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Delivers one message to one user over Dovecot's LMTP socket, as an MTA would (LHLO, MAIL, RCPT,
/// DATA), and returns the server's answer for that recipient: the RCPT reply when it refused the
/// recipient, else the reply to DATA.
/// </summary>
public static class LmtpDelivery
{
    /// <param name="readTimeoutMilliseconds">How long each reply may take.</param>
    public static LmtpReply Deliver(string socketPath, string user, string subject, int readTimeoutMilliseconds = 30_000)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Connect(new UnixDomainSocketEndPoint(socketPath));
        using var stream = new NetworkStream(socket, ownsSocket: false) { ReadTimeout = readTimeoutMilliseconds, WriteTimeout = 30_000 };
        using var reader = new StreamReader(stream, Encoding.ASCII);
        LmtpReply greeting = Read(reader);
        if (greeting.Code != 220)
            return greeting;
        Send(stream, "LHLO tests.example.org");
        Read(reader);
        Send(stream, "MAIL FROM:<sender@example.org>");
        LmtpReply mail = Read(reader);
        if (mail.Code != 250)
            return mail;
        Send(stream, $"RCPT TO:<{user}>");
        LmtpReply rcpt = Read(reader);
        if (rcpt.Code != 250)
        {
            Send(stream, "QUIT");
            return rcpt;
        }
        Send(stream, "DATA");
        LmtpReply data = Read(reader);
        if (data.Code != 354)
            return data;
        Send(stream, $"From: sender@example.org\r\nTo: {user}\r\nSubject: {subject}\r\nMessage-ID: <{Guid.NewGuid():N}@tests.example.org>\r\n\r\nbody of {subject}\r\n.");
        LmtpReply delivered = Read(reader);
        Send(stream, "QUIT");
        return delivered;
    }

    /// <summary>
    /// Delivers as an MTA does: a temporary failure (4xx) is retried after a pause until it is
    /// accepted or <paramref name="patience"/> runs out; returns every reply in order.
    /// </summary>
    public static List<LmtpReply> DeliverWithRetries(string socketPath, string user, string subject, TimeSpan patience)
    {
        var replies = new List<LmtpReply>();
        DateTime giveUp = DateTime.UtcNow + patience;
        while (true)
        {
            LmtpReply reply = Deliver(socketPath, user, subject);
            replies.Add(reply);
            if (reply.Code / 100 != 4 || DateTime.UtcNow > giveUp)
                return replies;
            Thread.Sleep(100);
        }
    }

    private static void Send(NetworkStream stream, string line) => stream.Write(Encoding.ASCII.GetBytes(line + "\r\n"));

    private static LmtpReply Read(StreamReader reader)
    {
        var text = new StringBuilder();
        while (true)
        {
            string line = reader.ReadLine() ?? throw new IOException("LMTP connection closed");
            text.Append(line).Append('\n');
            if (line.Length < 4 || line[3] != '-')
                return new LmtpReply(int.Parse(line[..3], System.Globalization.CultureInfo.InvariantCulture), text.ToString().TrimEnd());
        }
    }
}

/// <summary>An LMTP reply: its code and its full text.</summary>
public sealed record LmtpReply(int Code, string Text);
