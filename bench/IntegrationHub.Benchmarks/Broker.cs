using IntegrationHub.Platform;
using RabbitMQ.Client;

namespace IntegrationHub.Benchmarks;

/// <summary>
/// The benchmark's own AMQP connections, with the development users (RABBITMQ_URL picks the broker,
/// amqp://host:port). Only AMQP is used, so a broker on other ports needs nothing else.
/// </summary>
public static class Broker
{
    public static readonly string[] CompanyIds = ["PAG", "PD", "PFS", "PFSKG", "PSM", "OP-NORD", "OP-SUED"];

    public static ConnectionFactory Factory(string user)
    {
        var settings = BrokerSettings.Development(user);
        return new ConnectionFactory
        {
            HostName = settings.Host, Port = settings.Port, VirtualHost = settings.VirtualHost,
            UserName = settings.Username, Password = settings.Password, ClientProvidedName = "bench-" + user,
        };
    }

    public static string Address
    {
        get
        {
            var settings = BrokerSettings.Development("hub");
            return $"amqp://{settings.Host}:{settings.Port}/{settings.VirtualHost}";
        }
    }

    public static Task<IChannel> ConfirmingChannel(IConnection connection) =>
        connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));

    /// <summary>Messages ready in a queue and its consumers (a passive declare, which changes nothing).</summary>
    public static async Task<(uint Ready, uint Consumers)> Depth(IChannel channel, string queue)
    {
        var ok = await channel.QueueDeclarePassiveAsync(queue);
        return (ok.MessageCount, ok.ConsumerCount);
    }

    /// <summary>Waits until nobody consumes the queue any more (a stopped process's consumer is gone).</summary>
    public static async Task WaitForNoConsumer(IChannel channel, string queue, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while ((await Depth(channel, queue)).Consumers > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// Empties what a phase may have left: the hub's inbound queue, its partition queues and its parking queues, the company
    /// queues (as the hub's user, which may read them) and ops.events (as ops). Only between phases,
    /// with no hub or worker running, and only on a broker used for benchmarking.
    /// </summary>
    public static async Task PurgeAll()
    {
        await using (var hub = await Factory("hub").CreateConnectionAsync())
        await using (var channel = await hub.CreateChannelAsync())
        {
            foreach (var queue in new[] { BrokerNames.HubInboundQueue, BrokerNames.HubInboundQueue + "_error", BrokerNames.HubInboundQueue + "_skipped" }
                         .Concat(Enumerable.Range(0, BrokerNames.HubPartitionCount).Select(BrokerNames.HubPartitionQueue))
                         .Concat(CompanyIds.Select(BrokerNames.CompanyQueue)))
            {
                await channel.QueuePurgeAsync(queue);
            }
        }

        await using var ops = await Factory("ops").CreateConnectionAsync();
        await using var opsChannel = await ops.CreateChannelAsync();
        await opsChannel.QueuePurgeAsync("ops.events");
    }
}

/// <summary>The run cannot produce a figure; the message says which and why.</summary>
public sealed class BenchmarkFailure(string message) : Exception(message);
