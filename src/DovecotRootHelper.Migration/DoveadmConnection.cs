using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using DovecotRootHelper.Configuration;
using DovecotRootHelper.Dovecot;

namespace DovecotRootHelper.Migration;

/// <summary>
/// One connection to a Dovecot server's doveadm TCP listener (<c>service doveadm { inet_listener }</c>),
/// speaking the doveadm protocol as Dovecot's own client does (docs/remote-doveadm-notes.md):
/// <c>VERSION</c> at minor 0 (no multiplexed output), <c>PLAIN</c> as user <c>doveadm</c> with the
/// server's <c>doveadm_password</c>, then commands as tab-escaped lines, each answered with its
/// printed values, a line feed and <c>+</c> or <c>-CODE</c>, in TLS when the listener has <c>ssl = yes</c>
/// (<see cref="DoveadmTls"/>). Every step must finish before the deadline given to <see cref="Open"/>;
/// anything else is a <see cref="DoveadmException"/> naming the server.
/// </summary>
public sealed class DoveadmConnection : IDisposable
{
    /// <summary>Far more than kick, who or a flush print for one user; bounds what a wrong peer can make us hold.</summary>
    private const int MaxLine = 1024 * 1024;

    private readonly Socket _socket;
    private Stream _stream = Stream.Null;
    private readonly DateTime _deadline;
    private readonly TimeSpan _timeout;
    private readonly byte[] _buffer = new byte[4096];
    private readonly MemoryStream _line = new();
    private int _start;
    private int _end;

    private DoveadmConnection(DoveadmAddress server, Socket socket, TimeSpan timeout)
    {
        Server = server;
        _socket = socket;
        _timeout = timeout;
        _deadline = DateTime.UtcNow + timeout;
    }

    /// <summary>The server, as messages name it.</summary>
    public DoveadmAddress Server { get; }

    /// <summary>Connects and authenticates; the whole connection, commands included, must be done within <paramref name="timeout"/>.</summary>
    /// <exception cref="DoveadmException">No connection, no doveadm server there, or the password refused.</exception>
    /// <param name="tls">The CA certificates the server's must chain to; null: plain TCP.</param>
    public static DoveadmConnection Open(DoveadmAddress server, string password, TimeSpan timeout, DoveadmTls? tls = null)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var connection = new DoveadmConnection(server, socket, timeout);
        Func<string?> refused = () => null;
        try
        {
            using (var cancel = new CancellationTokenSource(timeout))
                socket.ConnectAsync(server.Host, server.Port, cancel.Token).AsTask().GetAwaiter().GetResult();
            connection._stream = new NetworkStream(socket, ownsSocket: true);
            if (tls is not null)
            {
                socket.ReceiveTimeout = socket.SendTimeout = connection.Remaining();
                connection._stream = tls.Start(connection._stream, server, out refused);
            }
            connection.Send("VERSION\tdoveadm-server\t1\t0\n");
            string? greeting = connection.ReadLine("the handshake");
            if (greeting != "-" && greeting != "+")
                throw connection.Failure(greeting is null
                    ? tls is null ? "closed the connection at the handshake (not a doveadm listener, or one with ssl = yes, which needs [migration] doveadm-ca-file)" : "closed the connection at the handshake (not a doveadm listener?)"
                    : $"answered '{Printable(greeting)}' to the handshake: not a doveadm server");
            if (greeting == "-")
            {
                string plain = Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0doveadm\0{password}"));
                connection.Send($"PLAIN\t{plain}\n");
                if (connection.ReadLine("authentication") != "+")
                    throw connection.Failure("refused the password (its doveadm_password is another, or unset)");
            }
            return connection;
        }
        catch (OperationCanceledException)
        {
            connection.Dispose();
            throw connection.Failure($"no connection within {timeout.TotalSeconds:0} s");
        }
        catch (SocketException e)
        {
            connection.Dispose();
            throw connection.Failure(e.SocketErrorCode == SocketError.TimedOut ? $"no answer within {timeout.TotalSeconds:0} s" : e.Message);
        }
        catch (AuthenticationException e)
        {
            connection.Dispose();
            throw connection.Failure($"TLS refused: {refused() ?? e.Message}");
        }
        catch (IOException e)
        {
            connection.Dispose();
            throw connection.Failure(TransportProblem(e, timeout, tls is not null));
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs one command, <paramref name="name"/> being its whole name (<c>auth cache flush</c>) as
    /// Dovecot's own client sends it, with its arguments.
    /// </summary>
    /// <exception cref="DoveadmException">The server closed the connection or broke the protocol instead of answering.</exception>
    public DoveadmReply Run(string name, params string[] arguments)
    {
        var line = new StringBuilder("\t\t");
        line.Append(TabEscaping.Escape(name));
        foreach (string argument in arguments)
            line.Append('\t').Append(TabEscaping.Escape(argument));
        try
        {
            Send(line.Append('\n').ToString());
            string what = $"'{name}'";
            // doveadm_allowed_commands refusing it, or a command dying (2.3's who without anvil), closes the connection.
            string output = ReadLine(what) ?? throw Failure($"closed the connection without answering {what} (see that server's log; doveadm_allowed_commands, if set, must name it)");
            string reply = ReadLine(what) ?? throw Failure($"closed the connection before the result of {what}");
            return reply switch
            {
                "+" => new DoveadmReply(Values(output), null),
                ['-', .. string code] => new DoveadmReply(Values(output), code),
                _ => throw Failure($"answered '{Printable(reply)}' where the result of {what} belongs"),
            };
        }
        catch (SocketException e)
        {
            throw Failure(e.SocketErrorCode == SocketError.TimedOut ? $"no answer within {_timeout.TotalSeconds:0} s" : e.Message);
        }
        catch (IOException e)
        {
            throw Failure(TransportProblem(e, _timeout, _stream is System.Net.Security.SslStream));
        }
    }

    public void Dispose()
    {
        _stream.Dispose();
        _socket.Dispose();
        _line.Dispose();
    }

    /// <summary>The server formatter's output: every value tab-escaped and followed by a TAB, nothing else.</summary>
    private static string[] Values(string output)
    {
        if (output.Length == 0)
            return [];
        string[] fields = output.Split('\t');
        // The TAB after the last value leaves an empty field behind it.
        return [.. (fields[^1].Length == 0 ? fields[..^1] : fields).Select(TabEscaping.Unescape)];
    }

    private DoveadmException Failure(string problem) => new($"doveadm server {Server}: {problem}");

    // A stream's failure: its socket's timeout or error, else (TLS) the stream's own words. A plain
    // client at a TLS listener, or the reverse, sees the connection closed or garbage at the handshake.
    private static string TransportProblem(IOException e, TimeSpan timeout, bool inTls) => e.InnerException switch
    {
        SocketException { SocketErrorCode: SocketError.TimedOut } => $"no answer within {timeout.TotalSeconds:0} s",
        SocketException socket => socket.Message,
        _ => inTls ? $"TLS failed: {e.Message} (is the listener's ssl = yes?)" : e.Message,
    };

    private void Send(string text)
    {
        _socket.SendTimeout = Remaining();
        _stream.Write(Encoding.UTF8.GetBytes(text));
        _stream.Flush();
    }

    /// <summary>The next line without its LF; null at end of stream.</summary>
    private string? ReadLine(string during)
    {
        _line.SetLength(0);
        while (true)
        {
            int lf = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (lf >= 0)
            {
                _line.Write(_buffer, _start, lf - _start);
                _start = lf + 1;
                return Encoding.UTF8.GetString(_line.GetBuffer(), 0, (int)_line.Length);
            }
            _line.Write(_buffer, _start, _end - _start);
            _start = _end = 0;
            if (_line.Length > MaxLine)
                throw Failure($"sent more than {MaxLine} bytes without a line feed during {during}");
            _socket.ReceiveTimeout = Remaining();
            int read = _stream.Read(_buffer);
            if (read == 0)
                return null;
            _end = read;
        }
    }

    /// <summary>Milliseconds left before the deadline, at least 1 (0 would mean no timeout to the socket).</summary>
    private int Remaining()
    {
        double left = (_deadline - DateTime.UtcNow).TotalMilliseconds;
        return left >= 1 ? (int)Math.Min(left, int.MaxValue) : throw Failure($"no answer within {_timeout.TotalSeconds:0} s");
    }

    private static string Printable(string text) => PrintableText.Escape(text.Length > 80 ? text[..80] + "..." : text);
}
