using System.Net;
using System.Net.Sockets;

namespace IntegrationHub.IntegrationTests;

/// <summary>
/// A TCP relay in front of the real broker that can be cut (every relayed connection closed, new ones
/// refused) and restored on the same port: for a process, the broker went away and came back. The
/// shared broker itself is never stopped by the tests.
/// </summary>
public sealed class BrokerRelay : IDisposable
{
    private readonly int _port;
    private readonly List<TcpClient> _sockets = [];
    private TcpListener? _listener;
    private CancellationTokenSource _cut = new();

    public BrokerRelay()
    {
        _port = FreePort();
        Restore();
    }

    /// <summary>RABBITMQ_URL for a process that should reach the broker through this relay.</summary>
    public string Url => $"amqp://127.0.0.1:{_port}";

    public static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    public void Cut()
    {
        _cut.Cancel();
        _listener?.Stop();
        lock (_sockets)
        {
            _sockets.ForEach(s => s.Dispose());
            _sockets.Clear();
        }
    }

    public void Restore()
    {
        _cut = new CancellationTokenSource();
        _listener = new TcpListener(IPAddress.Loopback, _port);
        _listener.Start();
        _ = Accept(_listener, _cut.Token);
    }

    private async Task Accept(TcpListener listener, CancellationToken cut)
    {
        var settings = Broker.Settings("hub");
        while (!cut.IsCancellationRequested)
        {
            var client = await listener.AcceptTcpClientAsync(cut).AsTask().ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : null);
            if (client is null)
            {
                return;
            }

            var broker = new TcpClient();
            await broker.ConnectAsync(settings.Host, settings.Port, cut);
            lock (_sockets)
            {
                _sockets.AddRange([client, broker]);
            }

            _ = Relay(client, broker, cut);
            _ = Relay(broker, client, cut);
        }
    }

    private static async Task Relay(TcpClient from, TcpClient to, CancellationToken cut)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.GetStream().ReadAsync(buffer, cut)) > 0)
            {
                await to.GetStream().WriteAsync(buffer.AsMemory(0, read), cut);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException)
        {
        }
        finally
        {
            // One side closed: close the other too, as a broker going away would.
            from.Dispose();
            to.Dispose();
        }
    }

    public void Dispose() => Cut();
}
