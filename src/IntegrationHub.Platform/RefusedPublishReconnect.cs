using System.Net.Sockets;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RabbitMQ.Client;
using PublishException = RabbitMQ.Client.Exceptions.PublishException;

namespace IntegrationHub.Platform;

/// <summary>
/// Drops a bus's broker connection when the broker refuses (basic.nack) a publish, or leaves one
/// unconfirmed for <see cref="ConfirmPatience"/>, so that MassTransit connects again with new channels.
/// <para>
/// Why: on RabbitMQ 3.10 a channel that first publishes to a quorum queue while the queue elects a new
/// leader (a cluster node was just lost) can stay unable to publish to that queue: its quorum-queue client
/// starts from the queue record, which may still name the lost leader, and then holds no leader at all
/// (seen in the node-kill test: rabbit_channel's state for the queue had leader undefined minutes later;
/// rabbitmq-server #9241, in 3.11 and 3.12, changed how a new client finds the leader, and #13095 fixed a
/// later case of a client never told of a new leader). Every later
/// publish of that channel to that queue is refused, while other channels publish to it fine. MassTransit
/// retries a refused publish as a connection failure, but on the same channel, which it shares between
/// all send endpoints and keeps as long as the broker keeps it open. A new connection is the only cure
/// that needs no operator; its cost is one reconnect (messages in flight come again; every receiver de-duplicates).
/// </para>
/// At most one reconnect every <see cref="Pause"/>: while a queue has no quorum at all, publishes are
/// refused on any channel, and reconnecting faster would help nothing.
/// </summary>
public sealed class RefusedPublishReconnect(ILogger? logger = null) : ISendObserver, IPublishObserver
{
    /// <summary>How long a send may wait for the broker's confirm before the connection is suspected.</summary>
    public static readonly TimeSpan ConfirmPatience = TimeSpan.FromSeconds(10);

    /// <summary>The shortest time between two reconnects.</summary>
    public static readonly TimeSpan Pause = TimeSpan.FromSeconds(5);

    private readonly ILogger _logger = logger ?? NullLogger.Instance;
    private readonly Lock _lock = new();
    private readonly List<TrackedTcpClient> _sockets = [];
    private DateTime _lastReconnect = DateTime.MinValue;

    /// <summary>The socket factory the bus's connection factory uses: the sockets are kept, to be closed.</summary>
    public ITcpClient Socket(AddressFamily family)
    {
        var socket = new TrackedTcpClient(ConnectionFactoryBase.DefaultSocketFactory(family), this);
        lock (_lock)
        {
            _sockets.RemoveAll(s => s.Closed);
            _sockets.Add(socket);
        }

        return socket;
    }

    /// <summary>Whether a send's failure says that the channel it went on may be broken.</summary>
    public static bool Suspicious(Exception exception, TimeSpan waited)
    {
        for (var inner = exception; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                // A returned message (mandatory, no queue bound) is the topology's fault, not the channel's.
                case PublishException { IsReturn: true }:
                    return false;
                case PublishException:
                    return true;
                case OperationCanceledException when waited >= ConfirmPatience:
                    return true;
            }
        }

        return false;
    }

    /// <summary>Closes every socket of the bus, at most once per <see cref="Pause"/>; returns whether it did.</summary>
    public bool Reconnect(string reason)
    {
        List<TrackedTcpClient> open;
        lock (_lock)
        {
            var now = DateTime.UtcNow;
            if (now - _lastReconnect < Pause)
            {
                return false;
            }

            _lastReconnect = now;
            open = _sockets.Where(s => !s.Closed).ToList();
        }

        _logger.LogWarning("A publish was {Reason}: closing the broker connection ({Count} socket(s)) so that the bus connects again with new channels",
            reason, open.Count);
        foreach (var socket in open)
        {
            socket.Drop();
        }

        return true;
    }

    // Sends and publishes alike (MassTransit tells publish observers of each attempt as of sends): the time an
    // attempt started goes with it, so that its failure tells how long it waited.
    public Task PreSend<T>(SendContext<T> context)
        where T : class => Started(context);

    public Task PostSend<T>(SendContext<T> context)
        where T : class => Task.CompletedTask;

    public Task SendFault<T>(SendContext<T> context, Exception exception)
        where T : class => Failed(context, exception);

    public Task PrePublish<T>(PublishContext<T> context)
        where T : class => Started(context);

    public Task PostPublish<T>(PublishContext<T> context)
        where T : class => Task.CompletedTask;

    public Task PublishFault<T>(PublishContext<T> context, Exception exception)
        where T : class => Failed(context, exception);

    private static Task Started(SendContext context)
    {
        context.GetOrAddPayload(() => new SendStarted(DateTime.UtcNow));
        return Task.CompletedTask;
    }

    private Task Failed(SendContext context, Exception exception)
    {
        var waited = context.TryGetPayload(out SendStarted? started) ? DateTime.UtcNow - started.At : TimeSpan.Zero;
        if (Suspicious(exception, waited))
        {
            Reconnect(exception is OperationCanceledException ? $"not confirmed within {waited.TotalSeconds:0} s" : "refused by the broker (basic.nack)");
        }

        return Task.CompletedTask;
    }

    private sealed record SendStarted(DateTime At);

    /// <summary>The client library's own socket, with a way to close it from outside.</summary>
    private sealed class TrackedTcpClient(ITcpClient inner, RefusedPublishReconnect owner) : ITcpClient
    {
        public bool Closed { get; private set; }

        public bool Connected => inner.Connected;

        public TimeSpan ReceiveTimeout
        {
            get => inner.ReceiveTimeout;
            set => inner.ReceiveTimeout = value;
        }

        public Socket Client => inner.Client;

        public Task ConnectAsync(System.Net.IPAddress host, int port, CancellationToken cancellationToken = default) =>
            inner.ConnectAsync(host, port, cancellationToken);

        public NetworkStream GetStream() => inner.GetStream();

        /// <summary>
        /// Shuts the socket down in both directions: the client library's read ends as with a connection the
        /// network lost, and the broker closes the connection's channels (closing only the client's handle
        /// leaves the library's pending read, and so the connection, as it was).
        /// </summary>
        public void Drop()
        {
            Closed = true;
            try
            {
                inner.Client.Shutdown(SocketShutdown.Both);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // Gone already: the library notices that itself.
            }
        }

        public void Close()
        {
            Closed = true;
            inner.Close();
        }

        public void Dispose()
        {
            Closed = true;
            inner.Dispose();
            lock (owner._lock)
            {
                owner._sockets.Remove(this);
            }
        }
    }
}
