using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DovecotRootHelper.Bench.LoginLoop;

/// <summary>One raw IMAP session: greeting, LOGIN, LOGOUT, close. Raw rather than MailKit to keep client time small.</summary>
internal static class ImapLogin
{
    public static void Run(int port, string user, string password)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
        var reader = new LineReader(socket);
        Expect(reader.ReadLine(), "* OK", "greeting");
        Send(socket, $"a LOGIN {user} {password}\r\n");
        Expect(reader.ReadTagged("a"), "a OK", "LOGIN");
        Send(socket, "b LOGOUT\r\n");
        Expect(reader.ReadTagged("b"), "b OK", "LOGOUT");
    }

    private static void Send(Socket socket, string line) => socket.Send(Encoding.ASCII.GetBytes(line));

    private static void Expect(string line, string prefix, string what)
    {
        if (!line.StartsWith(prefix, StringComparison.Ordinal))
            throw new ImapException($"{what}: expected '{prefix} ...', got '{line}'");
    }

    /// <summary>Reads CRLF-terminated lines from the socket.</summary>
    private sealed class LineReader(Socket socket)
    {
        private readonly byte[] _buffer = new byte[8192];
        private int _start, _end;

        public string ReadTagged(string tag)
        {
            while (true)
            {
                string line = ReadLine();
                if (line.StartsWith(tag + " ", StringComparison.Ordinal))
                    return line;
            }
        }

        public string ReadLine()
        {
            while (true)
            {
                int nl = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
                if (nl >= 0)
                {
                    string line = Encoding.ASCII.GetString(_buffer, _start, nl - _start).TrimEnd('\r');
                    _start = nl + 1;
                    return line;
                }
                if (_start > 0)
                {
                    Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                    _end -= _start;
                    _start = 0;
                }
                if (_end == _buffer.Length)
                    throw new ImapException("line too long");
                int n = socket.Receive(_buffer, _end, _buffer.Length - _end, SocketFlags.None);
                if (n == 0)
                    throw new ImapException("server closed the connection" + (_end > 0 ? $" after '{Encoding.ASCII.GetString(_buffer, 0, _end).TrimEnd()}'" : ""));
                _end += n;
            }
        }
    }
}
