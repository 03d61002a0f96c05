using IntegrationHub.Platform;
using MassTransit;
using Microsoft.Extensions.Logging;
using MassTransit.RabbitMqTransport;
using RabbitMQ.Client;

namespace IntegrationHub.Hub.Scaling;

/// <summary>
/// What one partition queue's endpoint has in hand: the messages it began and has not yet acknowledged
/// or given back, and the channels they came on. A hub that gives a partition up waits until nothing is
/// in hand and closes those channels itself before another hub may claim the partition
/// (<see cref="HubPartitions"/>): a message the broker pushed to a stopping endpoint is left
/// unacknowledged by MassTransit and goes back to the queue only when its channel closes, and if that
/// happened after the next owner began, it would come back behind the newer messages that owner took.
/// </summary>
public sealed class PartitionInHand
{
    private readonly Lock _gate = new();
    private readonly HashSet<IChannel> _channels = [];
    private int _inHand;

    /// <summary>Messages begun and not yet acknowledged or given back.</summary>
    public int Count => Volatile.Read(ref _inHand);

    internal void Began(ReceiveContext context)
    {
        Interlocked.Increment(ref _inHand);
        if (context.TryGetPayload<ChannelContext>(out var channel))
        {
            lock (_gate)
            {
                _channels.Add(channel.Channel);
            }
        }
    }

    internal void Ended() => Interlocked.Decrement(ref _inHand);

    /// <summary>Whether nothing was in hand within <paramref name="timeout"/>, checked every few milliseconds.</summary>
    public async Task<bool> Emptied(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var until = DateTime.UtcNow + timeout;
        while (Count > 0)
        {
            if (DateTime.UtcNow > until)
            {
                return false;
            }

            await Task.Delay(10, cancellationToken);
        }

        return true;
    }

    /// <summary>
    /// Closes every channel a message came on that is still open, and returns once the broker answered
    /// each close: the broker then has every message of those channels not acknowledged back in the queue.
    /// </summary>
    public async Task CloseChannels(CancellationToken cancellationToken)
    {
        List<IChannel> channels;
        lock (_gate)
        {
            channels = [.. _channels];
            _channels.Clear();
        }

        foreach (var channel in channels.Where(c => c.IsOpen))
        {
            try
            {
                await channel.CloseAsync(Constants.ReplySuccess, "partition handed over", cancellationToken);
            }
            catch (Exception ex) when (ex is RabbitMQ.Client.Exceptions.AlreadyClosedException or ObjectDisposedException)
            {
                // Closed meanwhile (by MassTransit's stop or with its connection): its messages are back too.
            }
        }
    }
}

/// <summary>
/// Observes every receive of the bus (connected when the bus is configured, so none is missed) and
/// counts those of the partition queues in their <see cref="PartitionInHand"/>.
/// </summary>
public sealed class PartitionsInHand(ILogger<PartitionsInHand> logger) : IReceiveObserver
{
    private readonly PartitionInHand?[] _partitions = new PartitionInHand?[BrokerNames.HubPartitionCount];

    public PartitionInHand For(int partition) =>
        LazyInitializer.EnsureInitialized(ref _partitions[partition], () => new PartitionInHand());

    public Task PreReceive(ReceiveContext context)
    {
        var inHand = Of(context);
        inHand?.Began(context);
        if (inHand is not null && logger.IsEnabled(LogLevel.Debug) && context is RabbitMqReceiveContext rabbit)
        {
            // Which hub took which message from which partition queue, when: ids only, for following a hand-over.
            logger.LogDebug("{Queue} delivery {DeliveryTag} (redelivered {Redelivered}) message {MessageId} taken by process {Process} channel {Channel}",
                QueueOf(context), rabbit.DeliveryTag, rabbit.Redelivered,
                rabbit.Properties.MessageId, Environment.ProcessId, context.TryGetPayload<ChannelContext>(out var c) ? c.Channel.ChannelNumber : -1);
        }

        return Task.CompletedTask;
    }

    // After the acknowledgement: MassTransit calls it once the receive lock completed.
    public Task PostReceive(ReceiveContext context)
    {
        Of(context)?.Ended();
        return Task.CompletedTask;
    }

    // Before the message is given back: closing its channel (PartitionInHand.CloseChannels) gives it back if the nack did not.
    public Task ReceiveFault(ReceiveContext context, Exception exception)
    {
        Of(context)?.Ended();
        return Task.CompletedTask;
    }

    public Task PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType) where T : class => Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception) where T : class =>
        Task.CompletedTask;

    private PartitionInHand? Of(ReceiveContext context) => BrokerNames.PartitionOfQueue(QueueOf(context)) is { } partition ? For(partition) : null;

    // The input address ends with the queue's name: rabbitmq://host/vhost/hub.partition.3.
    private static string QueueOf(ReceiveContext context) => context.InputAddress.AbsolutePath[(context.InputAddress.AbsolutePath.LastIndexOf('/') + 1)..];
}
