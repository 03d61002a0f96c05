using System.Net;
using System.Net.Sockets;

namespace IntegrationHub.IntegrationTests;

/// <summary>
/// A TCP relay in front of the real broker that can be frozen: connections stay open but nothing
/// passes any more, as with a broker that is itself stopping and answers nothing. The shared broker
/// is never stopped by the tests.
/// </summary>
public sealed class FrozenBroker : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _frozen = new();
    private readonly List<TcpClient> _sockets = [];

    public FrozenBroker()
    {
        _listener.Start();
        _ = Accept();
    }

    /// <summary>RABBITMQ_URL for a process that should reach the broker through this relay.</summary>
    public string Url => $"amqp://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public void Freeze() => _frozen.Cancel();

    private async Task Accept()
    {
        var settings = Broker.Settings("hub");
        while (!_frozen.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_frozen.Token).AsTask().ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : null);
            if (client is null)
            {
                return;
            }

            var broker = new TcpClient();
            await broker.ConnectAsync(settings.Host, settings.Port);
            lock (_sockets)
            {
                _sockets.AddRange([client, broker]);
            }

            _ = Relay(client.GetStream(), broker.GetStream());
            _ = Relay(broker.GetStream(), client.GetStream());
        }
    }

    private async Task Relay(NetworkStream from, NetworkStream to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, _frozen.Token)) > 0)
            {
                await to.WriteAsync(buffer.AsMemory(0, read), _frozen.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        _frozen.Cancel();
        _listener.Stop();
        lock (_sockets)
        {
            _sockets.ForEach(s => s.Dispose());
        }
    }
}
