using System.Text.Json;
using System.Threading.Channels;
using IntegrationHub.Platform;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace IntegrationHub.Hub.Scaling;

/// <summary>
/// With Hub:Partitioned (the default), for one hub process or several: takes every message from <c>hub.inbound</c>, in queue
/// order, and forwards it unchanged (body, headers, user_id) to the consistent-hash exchange
/// <c>hub.partitions</c> with its customer as routing key, so that each customer's messages reach one
/// partition queue in the order the hub took them. <c>hub.inbound</c> has a single active consumer:
/// every hub runs a sequencer, one forwards, the others stand by and take over when it goes.
/// A message is acknowledged to <c>hub.inbound</c> only once the broker confirmed its forward; one
/// forwarded twice (a confirm lost with a connection) is de-duplicated by the hub's inbox. Nothing is
/// read here beyond the customer id, and nothing of a message is logged.
/// </summary>
public sealed class InboundSequencer(BrokerSettings broker, IHostApplicationLifetime lifetime, ILogger<InboundSequencer> logger) : BackgroundService
{
    /// <summary>Messages forwarded and not yet confirmed at most (the consumer's prefetch).</summary>
    public const ushort Window = 512;

    /// <summary>Whether this process consumes hub.inbound now (as the active consumer or a standby).</summary>
    public bool Consuming { get; private set; }

    /// <summary>Messages this process forwarded and saw confirmed.</summary>
    public long Forwarded => Interlocked.Read(ref _forwarded);

    private long _forwarded;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await lifetime.WhenStarted(stoppingToken);

        var reconnect = ReconnectBackoff.First;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ForwardUntilInterrupted(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Forwarding {Queue} to {Exchange} at {Address} interrupted ({Error}: {Reason}); again in {Delay:0} s",
                    BrokerNames.HubInboundQueue, BrokerNames.HubPartitionExchange, broker.Address, ex.GetType().Name, ex.Message,
                    (Consuming ? ReconnectBackoff.First : reconnect).TotalSeconds);
            }
            finally
            {
                reconnect = Consuming ? ReconnectBackoff.First : reconnect;
                Consuming = false;
            }

            await Task.Delay(reconnect, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            reconnect = ReconnectBackoff.After(reconnect);
        }
    }

    private async Task ForwardUntilInterrupted(CancellationToken stoppingToken)
    {
        await using var connection = await broker.Connect(BrokerSettings.ProcessConnectionName("hub") + "/sequencer", stoppingToken);

        // Confirms are tracked here, not by RabbitMQ.Client, so that publishing does not wait for each one.
        await using var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: false), stoppingToken);
        var interrupted = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var confirms = new Confirms();
        var acks = Channel.CreateUnbounded<ulong>(new UnboundedChannelOptions { SingleReader = true });
        channel.BasicAcksAsync += (_, e) =>
        {
            if (confirms.Confirmed(e.DeliveryTag, e.Multiple) is { } through)
            {
                acks.Writer.TryWrite(through);
            }

            return Task.CompletedTask;
        };

        // A nack or a return (no partition queue bound) means the broker did not take a forward: the
        // channel is closed, and every message not yet acknowledged goes back to hub.inbound, in order.
        channel.BasicNacksAsync += (_, _) => Interrupt(interrupted, "the broker refused a forward (nack)");
        channel.BasicReturnAsync += (_, _) => Interrupt(interrupted, $"a forward reached no queue: is {BrokerNames.HubPartitionExchange} bound to the partition queues?");
        channel.ChannelShutdownAsync += (_, e) => Interrupt(interrupted, $"channel closed ({e.ReplyCode} {e.ReplyText})");

        await channel.BasicQosAsync(0, Window, false, stoppingToken);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            var sequence = await channel.GetNextPublishSequenceNumberAsync(stoppingToken);
            confirms.Sent(sequence, delivery.DeliveryTag);
            await channel.BasicPublishAsync(BrokerNames.HubPartitionExchange, PartitionKey(delivery.Body.Span, delivery.BasicProperties.MessageId),
                mandatory: true, new BasicProperties(delivery.BasicProperties), delivery.Body, stoppingToken);
        };
        consumer.UnregisteredAsync += (_, _) => Interrupt(interrupted, "consumer cancelled by the broker");
        await channel.BasicConsumeAsync(BrokerNames.HubInboundQueue, autoAck: false, consumer, stoppingToken);
        Consuming = true;
        logger.LogInformation("Sequencer consuming {Queue} at {Node} (active when the broker makes it the single active consumer)",
            BrokerNames.HubInboundQueue, $"{connection.Endpoint.HostName}:{connection.Endpoint.Port}");

        var acking = AcknowledgeConfirmed(channel, acks.Reader, stoppingToken);
        var reason = await interrupted.Task.WaitAsync(stoppingToken);
        acks.Writer.TryComplete();
        await acking.ContinueWith(_ => { }, TaskScheduler.Default);
        throw new IOException(reason);
    }

    private async Task AcknowledgeConfirmed(IChannel channel, ChannelReader<ulong> confirmed, CancellationToken stoppingToken)
    {
        while (await confirmed.WaitToReadAsync(stoppingToken))
        {
            ulong through = 0;
            var count = 0;
            while (confirmed.TryRead(out var tag))
            {
                through = Math.Max(through, tag);
                count++;
            }

            await channel.BasicAckAsync(through, multiple: true, stoppingToken);
            Interlocked.Add(ref _forwarded, count);
        }
    }

    private static Task Interrupt(TaskCompletionSource<string> interrupted, string reason)
    {
        interrupted.TrySetResult(reason);
        return Task.CompletedTask;
    }

    /// <summary>
    /// The routing key that puts a message in its partition: the message's <c>customerId</c> (at the
    /// top of a plain JSON body, or inside <c>message</c> of a MassTransit envelope), as the hub's
    /// in-process partitioner keys it (MessageKeys.PartitionOf). A message about no customer, or one
    /// that is not JSON (the partition's endpoint refuses it with its reason), goes by its message id.
    /// </summary>
    public static string PartitionKey(ReadOnlySpan<byte> body, string? messageId)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            if (CustomerOf(ref reader) is { } customer)
            {
                return customer.ToString("D");
            }
        }
        catch (JsonException)
        {
        }

        return messageId ?? Guid.NewGuid().ToString("D");
    }

    private static Guid? CustomerOf(ref Utf8JsonReader reader)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        var depth = reader.CurrentDepth;
        while (reader.Read() && reader.CurrentDepth > depth)
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                continue;
            }

            if (reader.ValueTextEquals("customerId"u8) || reader.ValueTextEquals("CustomerId"u8))
            {
                reader.Read();
                return reader.TokenType == JsonTokenType.String && reader.TryGetGuid(out var id) ? id : null;
            }

            if (reader.ValueTextEquals("message"u8) && depth == 0)
            {
                // A MassTransit envelope: the message is one level down.
                return CustomerOf(ref reader);
            }

            reader.Read();
            reader.Skip();
        }

        return null;
    }

    /// <summary>
    /// Which forwards the broker confirmed, in publish order: it may confirm them out of order (they go
    /// to different queues), and a message of hub.inbound is acknowledged only when it and every one
    /// before it are confirmed, so acknowledging "up to here" never covers an unconfirmed one.
    /// </summary>
    private sealed class Confirms
    {
        private readonly Lock _gate = new();
        private readonly Queue<(ulong Sequence, ulong DeliveryTag)> _waiting = new();
        private readonly HashSet<ulong> _confirmedOutOfOrder = [];
        private ulong _confirmedThrough;

        public void Sent(ulong sequence, ulong deliveryTag)
        {
            lock (_gate)
            {
                _waiting.Enqueue((sequence, deliveryTag));
            }
        }

        /// <summary>The delivery tag through which hub.inbound may now be acknowledged, if it moved.</summary>
        public ulong? Confirmed(ulong sequence, bool multiple)
        {
            lock (_gate)
            {
                if (multiple)
                {
                    _confirmedThrough = Math.Max(_confirmedThrough, sequence);
                }
                else
                {
                    _confirmedOutOfOrder.Add(sequence);
                }

                ulong? through = null;
                while (_waiting.TryPeek(out var head) && (head.Sequence <= _confirmedThrough || _confirmedOutOfOrder.Remove(head.Sequence)))
                {
                    through = _waiting.Dequeue().DeliveryTag;
                }

                return through;
            }
        }
    }
}
