using System.Net;
using System.Net.Sockets;

namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A TCP relay in front of a Dovecot's doveadm listener that a test can hold: while held, a
/// connection is accepted but not passed on, so an imaproot that reached it waits in its flush or
/// kick (the user already migrating) while the test looks at the servers; released, the connection
/// goes through as if nothing stood between.
/// </summary>
public sealed class DoveadmGate : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly ManualResetEventSlim _open = new(initialState: true);
    private readonly SemaphoreSlim _reached = new(0);

    /// <param name="targetPort">The doveadm listener on 127.0.0.1 it relays to.</param>
    public DoveadmGate(int targetPort)
    {
        _target = targetPort;
        _listener.Start();
        _ = Task.Run(AcceptAsync);
    }

    /// <summary>The gate as <c>[migration] doveadm-servers</c> names it.</summary>
    public string Server => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>From now on connections wait at the gate.</summary>
    public void Hold()
    {
        while (_reached.Wait(0))
        {
        }
        _open.Reset();
    }

    /// <summary>Lets the waiting connections, and every later one, through.</summary>
    public void Release() => _open.Set();

    /// <summary>Whether a connection arrived at the held gate within <paramref name="timeout"/>.</summary>
    public bool WaitUntilReached(TimeSpan timeout) => _reached.Wait(timeout);

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _open.Set();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = Task.Run(() => RelayAsync(client));
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                if (!_open.IsSet)
                {
                    _reached.Release();
                    _open.Wait(_stop.Token);
                }
                using var server = new TcpClient();
                await server.ConnectAsync(IPAddress.Loopback, _target, _stop.Token);
                await Task.WhenAll(PipeAsync(client, server), PipeAsync(server, client));
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
            {
                // One side went away: so does the relay, as the connection would have without it.
            }
        }
    }

    /// <summary>Copies until <paramref name="from"/> ends, then ends the sending half towards <paramref name="to"/>.</summary>
    private async Task PipeAsync(TcpClient from, TcpClient to)
    {
        await from.GetStream().CopyToAsync(to.GetStream(), _stop.Token);
        to.Client.Shutdown(SocketShutdown.Send);
    }
}
