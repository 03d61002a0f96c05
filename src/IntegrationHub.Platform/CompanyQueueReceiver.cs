using System.Diagnostics;
using System.Threading.Channels;
using MassTransit.Transports;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace IntegrationHub.Platform;

/// <summary>
/// Consumes a company's queue without declaring anything, so the company's broker user needs no
/// <c>configure</c> permission, which in RabbitMQ would also let it delete or redeclare the queue.
/// MassTransit's receive endpoint always declares its queue (MassTransit issues #4098, #5298), so
/// this is a plain RabbitMQ.Client consumer that hands each message to MassTransit's dispatcher of
/// the registered consumers (the same deserializer, retry and consumers as a receive endpoint).
/// It takes what is ready, up to <see cref="CompanyQueue.BatchSize"/> messages or half a second of
/// work, and handles them as one batch (<see cref="ICompanyQueueBatch"/>): one after another in queue
/// order, then one commit, then the answers, then one acknowledgement of them all. A message that
/// cannot be carried out is parked with its reason and the rest of the batch goes on.
/// </summary>
public sealed class CompanyQueueReceiver(
    CompanyQueue queue, IReceiveEndpointDispatcherFactory dispatchers, IHostApplicationLifetime lifetime, ILogger<CompanyQueueReceiver> logger,
    ICompanyQueueBatches? batches = null)
    : BackgroundService
{
    /// <summary>
    /// A batch takes no further message after this long: the store's write lock is held for about this
    /// long at most (the store's health check waits two seconds for it), and the first message's answer
    /// waits no longer for the commit.
    /// </summary>
    private static readonly TimeSpan MaximumBatchTime = TimeSpan.FromMilliseconds(500);
    private readonly ICompanyQueueBatches _batches = batches ?? ConsumersKeepTheirOwn.Instance;

    /// <summary>Whether the consumer is attached to the queue now (the worker's readiness).</summary>
    public bool Consuming { get; private set; }

    /// <summary>Why consuming stopped last (exception type and where; never a message).</summary>
    public string? LastInterruption { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The dispatcher publishes answers through the bus, which runs once every hosted service has started.
        await lifetime.WhenStarted(stoppingToken);
        var dispatcher = dispatchers.CreateReceiver(queue.Name);
        var reconnect = ReconnectBackoff.First;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ConsumeUntilInterrupted(dispatcher, stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // One line per attempt, naming where and why; the wait doubles up to half a minute while the broker stays away.
                LastInterruption = $"{ex.GetType().Name} at {queue.Broker.Address}";
                logger.LogWarning("{Connection}: consuming {Queue} at {Address} interrupted ({Error}: {Reason}); again in {Delay:0} s",
                    queue.ConnectionName, queue.Name, queue.Broker.Address, ex.GetType().Name, Innermost(ex).Message, (Consuming ? ReconnectBackoff.First : reconnect).TotalSeconds);
            }
            finally
            {
                // A connection that consumed starts the back-off afresh.
                reconnect = Consuming ? ReconnectBackoff.First : reconnect;
                Consuming = false;
            }

            await Task.Delay(reconnect, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            reconnect = ReconnectBackoff.After(reconnect);
        }
    }

    private async Task ConsumeUntilInterrupted(IReceiveEndpointDispatcher dispatcher, CancellationToken stoppingToken)
    {
        // The first node of a cluster that answers; after a lost node, another. Reconnecting is this loop's job.
        var connection = await queue.Broker.Connect(queue.ConnectionName, stoppingToken);
        try
        {
            await using var receive = await connection.CreateChannelAsync(cancellationToken: stoppingToken);
            await using var parking = new ErrorQueueParking(connection, queue);

            // The broker holds back more than BatchSize unacknowledged messages, so this never holds more.
            var ready = Channel.CreateUnbounded<Received>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
            await receive.BasicQosAsync(0, queue.BatchSize, false, stoppingToken);
            var consumer = new AsyncEventingBasicConsumer(receive);
            consumer.ReceivedAsync += (_, delivery) =>
            {
                ready.Writer.TryWrite(Received.Of(delivery));
                return Task.CompletedTask;
            };
            consumer.UnregisteredAsync += (_, _) => Interrupt(ready);
            consumer.ShutdownAsync += (_, _) => Interrupt(ready);
            await receive.BasicConsumeAsync(queue.Name, autoAck: false, consumer, stoppingToken);
            Consuming = true;
            logger.LogInformation("{Connection}: consuming {Queue} at {Node}, up to {BatchSize} messages a batch",
                queue.ConnectionName, queue.Name, $"{connection.Endpoint.HostName}:{connection.Endpoint.Port}", queue.BatchSize);
            var waiting = new List<Received>(queue.BatchSize);
            while (waiting.Count > 0 || await ready.Reader.WaitToReadAsync(stoppingToken))
            {
                if (!receive.IsOpen)
                {
                    break;
                }

                while (waiting.Count < queue.BatchSize && ready.Reader.TryRead(out var received))
                {
                    waiting.Add(received);
                }

                waiting.RemoveRange(0, await Handle(receive, parking, dispatcher, waiting, stoppingToken));
            }

            LastInterruption = $"consumer of {queue.Name} cancelled or its channel closed";
        }
        finally
        {
            // Bounded: a broker that is itself stopping may never answer the close.
            await connection.CloseAsync(TimeSpan.FromSeconds(2)).WaitAsync(TimeSpan.FromSeconds(3)).ContinueWith(_ => { }, TaskScheduler.Default);
            connection.Dispose();
        }
    }

    /// <summary>
    /// One batch: the waiting messages in queue order, as many as fit in <see cref="MaximumBatchTime"/>,
    /// then the commit, the answers, the parking of what could not be carried out, and the
    /// acknowledgement of all; returns how many it took. Anything that fails on the way (the commit, a
    /// publish, the broker) leaves the whole batch unacknowledged: it comes again, and what was carried
    /// out already is recognised as a repeat and answered the same.
    /// </summary>
    private async Task<int> Handle(IChannel channel, ErrorQueueParking parking, IReceiveEndpointDispatcher dispatcher, List<Received> waiting, CancellationToken stoppingToken)
    {
        var refused = new List<(Received Message, string Reason)>();
        var taken = 0;
        try
        {
            await using var work = await _batches.Begin(stoppingToken);
            var clock = Stopwatch.StartNew();
            for (; taken < waiting.Count && (taken == 0 || clock.Elapsed < MaximumBatchTime); taken++)
            {
                if (await Carry(dispatcher, work, waiting[taken], stoppingToken) is { } reason)
                {
                    // A failure of the store itself is no fault of the message: the whole batch comes again.
                    if (!work.Usable)
                    {
                        throw new InvalidOperationException($"the store transaction of a batch of {taken + 1} messages from {queue.Name} failed: {reason}");
                    }

                    refused.Add((waiting[taken], reason));
                }
            }

            await work.Commit(stoppingToken);
            await work.SendAnswers(stoppingToken);
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: nothing of the batch was committed; it and what waits behind it stay in the queue for the next start.
            await channel.BasicNackAsync(waiting[^1].DeliveryTag, multiple: true, requeue: true, CancellationToken.None);
            return waiting.Count;
        }

        foreach (var (message, reason) in refused)
        {
            // A message that cannot be parked stays in the queue (the broker's delivery limit dead-letters it in the end).
            await parking.Park(message.Properties, message.Body, reason, stoppingToken);
            logger.LogWarning("{Connection}: message {MessageId} ({Type}) moved to {ErrorQueue}: {Reason}",
                queue.ConnectionName, message.Properties.MessageId, AmqpHeaders.Header(message.Properties, BrokerNames.MessageTypeHeader), queue.ErrorQueue, reason);
        }

        // Every earlier delivery on this channel was acknowledged with an earlier batch.
        await channel.BasicAckAsync(waiting[taken - 1].DeliveryTag, multiple: true, stoppingToken);
        return taken;
    }

    /// <summary>Hands one message to its consumers inside the batch; the reason it was not carried out, or null.</summary>
    private static async Task<string?> Carry(IReceiveEndpointDispatcher dispatcher, ICompanyQueueBatch work, Received message, CancellationToken stoppingToken)
    {
        if (SenderCheck.Problem(message.Properties.UserId) is { } refused)
        {
            return refused;
        }

        try
        {
            await dispatcher.Dispatch(message.Body, AmqpHeaders.ForMassTransit(message.Properties), stoppingToken, work);
            return null;
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            return ErrorQueueParking.Reason(ex);
        }
    }

    /// <summary>A delivery as the batch keeps it: the client library lends the body only for the duration of its event.</summary>
    private sealed record Received(ulong DeliveryTag, byte[] Body, IReadOnlyBasicProperties Properties)
    {
        public static Received Of(BasicDeliverEventArgs delivery) => new(delivery.DeliveryTag, delivery.Body.ToArray(), delivery.BasicProperties);
    }

    private static Exception Innermost(Exception exception) => exception.InnerException is { } inner ? Innermost(inner) : exception;

    private static Task Interrupt(Channel<Received> ready)
    {
        ready.Writer.TryComplete();
        return Task.CompletedTask;
    }
}
