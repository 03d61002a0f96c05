using System.Text;
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
/// One message at a time, in queue order, acknowledged only after its consumer returned.
/// </summary>
public sealed class CompanyQueueReceiver(
    CompanyQueue queue, IReceiveEndpointDispatcherFactory dispatchers, IHostApplicationLifetime lifetime, ILogger<CompanyQueueReceiver> logger)
    : BackgroundService
{
    private static readonly TimeSpan FirstReconnect = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan LongestReconnect = TimeSpan.FromSeconds(30);

    /// <summary>Whether the consumer is attached to the queue now (the worker's readiness).</summary>
    public bool Consuming { get; private set; }

    /// <summary>Why consuming stopped last (exception type and where; never a message).</summary>
    public string? LastInterruption { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The dispatcher publishes answers through the bus, which runs once every hosted service has started.
        await WhenStarted(stoppingToken);
        var dispatcher = dispatchers.CreateReceiver(queue.Name);
        var reconnect = FirstReconnect;
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
                    queue.ConnectionName, queue.Name, queue.Broker.Address, ex.GetType().Name, Innermost(ex).Message, (Consuming ? FirstReconnect : reconnect).TotalSeconds);
            }
            finally
            {
                // A connection that consumed starts the back-off afresh.
                reconnect = Consuming ? FirstReconnect : reconnect;
                Consuming = false;
            }

            await Task.Delay(reconnect, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            reconnect = TimeSpan.FromTicks(Math.Min(reconnect.Ticks * 2, LongestReconnect.Ticks));
        }
    }

    private async Task ConsumeUntilInterrupted(IReceiveEndpointDispatcher dispatcher, CancellationToken stoppingToken)
    {
        var factory = new ConnectionFactory
        {
            VirtualHost = queue.Broker.VirtualHost, UserName = queue.Broker.Username, Password = queue.Broker.Password, ClientProvidedName = queue.ConnectionName,

            // Reconnecting is this loop's job: one path for a lost connection, a closed channel and a cancelled consumer.
            AutomaticRecoveryEnabled = false, RequestedHeartbeat = TimeSpan.FromSeconds(10),
        };

        // The first node of a cluster that answers; after a lost node, another.
        var connection = await queue.Broker.Connect(factory, stoppingToken);
        try
        {
            await using var receive = await connection.CreateChannelAsync(cancellationToken: stoppingToken);
            await using var parking = new ErrorQueueParking(connection, queue);
            var interrupted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await receive.BasicQosAsync(0, 1, false, stoppingToken);
            var consumer = new AsyncEventingBasicConsumer(receive);
            consumer.ReceivedAsync += (_, delivery) => Handle(receive, parking, dispatcher, delivery, stoppingToken);
            consumer.UnregisteredAsync += (_, _) => Interrupt(interrupted);
            consumer.ShutdownAsync += (_, _) => Interrupt(interrupted);
            await receive.BasicConsumeAsync(queue.Name, autoAck: false, consumer, stoppingToken);
            Consuming = true;
            logger.LogInformation("{Connection}: consuming {Queue} at {Node}", queue.ConnectionName, queue.Name, $"{connection.Endpoint.HostName}:{connection.Endpoint.Port}");
            await interrupted.Task.WaitAsync(stoppingToken);
            LastInterruption = $"consumer of {queue.Name} cancelled or its channel closed";
        }
        finally
        {
            // Bounded: a broker that is itself stopping may never answer the close.
            await connection.CloseAsync(TimeSpan.FromSeconds(2)).WaitAsync(TimeSpan.FromSeconds(3)).ContinueWith(_ => { }, TaskScheduler.Default);
            connection.Dispose();
        }
    }

    private async Task Handle(IChannel channel, ErrorQueueParking parking, IReceiveEndpointDispatcher dispatcher, BasicDeliverEventArgs delivery, CancellationToken stoppingToken)
    {
        var properties = delivery.BasicProperties;
        var reason = SenderCheck.Problem(properties.UserId);
        if (reason is null)
        {
            try
            {
                await dispatcher.Dispatch(delivery.Body.ToArray(), TransportHeaders(properties), stoppingToken);
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                // Stopping: the message stays in the queue for the next start.
                await channel.BasicNackAsync(delivery.DeliveryTag, false, requeue: true, CancellationToken.None);
                return;
            }
            catch (Exception ex)
            {
                reason = ErrorQueueParking.Reason(ex);
            }
        }

        if (reason is not null)
        {
            // A message that cannot be parked stays in the queue (the broker's delivery limit dead-letters it in the end).
            await parking.Park(delivery, reason, stoppingToken);
            logger.LogWarning("{Connection}: message {MessageId} ({Type}) moved to {ErrorQueue}: {Reason}",
                queue.ConnectionName, properties.MessageId, Header(properties, BrokerNames.MessageTypeHeader), queue.ErrorQueue, reason);
        }

        await channel.BasicAckAsync(delivery.DeliveryTag, false, stoppingToken);
    }

    private static Exception Innermost(Exception exception) => exception.InnerException is { } inner ? Innermost(inner) : exception;

    private static Task Interrupt(TaskCompletionSource interrupted)
    {
        interrupted.TrySetResult();
        return Task.CompletedTask;
    }

    private Task WhenStarted(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        return started.Task.WaitAsync(stoppingToken);
    }

    /// <summary>What MassTransit reads as transport headers: the AMQP headers (strings as strings) and the properties it uses.</summary>
    private static Dictionary<string, object> TransportHeaders(IReadOnlyBasicProperties properties)
    {
        var headers = new Dictionary<string, object>();
        foreach (var (name, value) in properties.Headers ?? new Dictionary<string, object?>())
        {
            if (value is not null)
            {
                headers[name] = value is byte[] bytes ? Encoding.UTF8.GetString(bytes) : value;
            }
        }

        if (properties.ContentType is { } contentType)
        {
            headers[MassTransit.MessageHeaders.ContentType] = contentType;
        }

        if (properties.MessageId is { } messageId)
        {
            headers[MassTransit.MessageHeaders.MessageId] = messageId;
        }

        return headers;
    }

    internal static string? Header(IReadOnlyBasicProperties properties, string name) =>
        properties.Headers is { } headers && headers.TryGetValue(name, out var value)
            ? value switch { byte[] bytes => Encoding.UTF8.GetString(bytes), null => null, _ => value.ToString() }
            : null;
}
