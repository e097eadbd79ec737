using System.Net.Sockets;
using System.Text;

namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>A plain TCP client that sends and reads CRLF lines, so tests can assert the exact bytes a client gets.</summary>
public sealed class RawLineClient : IDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly StreamReader _reader;

    private RawLineClient(TcpClient tcp, int readTimeoutMilliseconds)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        _stream.ReadTimeout = readTimeoutMilliseconds;
        _reader = new StreamReader(_stream, Encoding.ASCII);
    }

    /// <summary>Connects and reads the greeting up to the line that says the server is ready; each read waits at most <paramref name="readTimeoutMilliseconds"/>.</summary>
    public static RawLineClient Connect(int port, int readTimeoutMilliseconds = 10_000)
    {
        var tcp = new TcpClient();
        tcp.Connect("127.0.0.1", port);
        var client = new RawLineClient(tcp, readTimeoutMilliseconds);
        // A fresh imap-login may first say "* OK Waiting for authentication process to respond..".
        while (true)
        {
            string line = client.ReadLine() ?? throw new IOException("connection closed during the greeting");
            if (line.Contains("ready", StringComparison.Ordinal))
                return client;
        }
    }

    public void Send(string line)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(line + "\r\n");
        _stream.Write(bytes);
    }

    /// <summary>The next line without its CRLF, or null once the server has closed the connection.</summary>
    public string? ReadLine() => _reader.ReadLine();

    /// <summary>Every line until the server closes the connection.</summary>
    public List<string> ReadToClose()
    {
        var lines = new List<string>();
        while (ReadLine() is { } line)
            lines.Add(line);
        return lines;
    }

    public void Dispose()
    {
        _reader.Dispose();
        _tcp.Dispose();
    }
}
