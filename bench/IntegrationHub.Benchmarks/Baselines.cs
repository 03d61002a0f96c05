using System.Diagnostics;
using IntegrationHub.Platform;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;

namespace IntegrationHub.Benchmarks;

/// <summary>
/// What the broker and the bus do without the hub, on the same broker in the same run (ARCHITECTURE.md
/// names the baselines): 1 KB persistent messages through a quorum queue with publisher confirms,
/// published and consumed in this process; messages per second from the first publish to the last receipt.
/// </summary>
public static class Baselines
{
    public static async Task<double> RawRabbitMq(int count, CancellationToken cancellationToken)
    {
        var queue = $"hub.bench-raw-{Guid.NewGuid():N}";
        await using var connection = await Broker.Factory("hub").CreateConnectionAsync(cancellationToken);
        await using var channel = await Broker.ConfirmingChannel(connection);
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, new Dictionary<string, object?> { ["x-queue-type"] = "quorum" }, cancellationToken: cancellationToken);

        // The hub's user may not publish to the default exchange; an exchange of the queue's name leads to it.
        await channel.ExchangeDeclareAsync(queue, ExchangeType.Fanout, durable: true, cancellationToken: cancellationToken);
        await channel.QueueBindAsync(queue, queue, "", cancellationToken: cancellationToken);
        try
        {
            var received = 0;
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await using var consumerChannel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            await consumerChannel.BasicQosAsync(0, 100, false, cancellationToken);
            var consumer = new RabbitMQ.Client.Events.AsyncEventingBasicConsumer(consumerChannel);
            consumer.ReceivedAsync += async (_, delivery) =>
            {
                await consumerChannel.BasicAckAsync(delivery.DeliveryTag, false);
                if (Interlocked.Increment(ref received) == count)
                {
                    done.TrySetResult();
                }
            };
            await consumerChannel.BasicConsumeAsync(queue, autoAck: false, consumer, cancellationToken);
            var body = new byte[1024];
            var properties = new BasicProperties { DeliveryMode = DeliveryModes.Persistent, ContentType = "application/octet-stream" };
            var clock = Stopwatch.StartNew();
            for (var sent = 0; sent < count; sent += 100)
            {
                var batch = Enumerable.Range(0, Math.Min(100, count - sent))
                    .Select(_ => channel.BasicPublishAsync(queue, "", mandatory: false, properties, body).AsTask());
                await Task.WhenAll(batch).WaitAsync(cancellationToken);
            }

            await done.Task.WaitAsync(cancellationToken);
            return count / clock.Elapsed.TotalSeconds;
        }
        finally
        {
            await channel.QueueDeleteAsync(queue, cancellationToken: CancellationToken.None);
            await channel.ExchangeDeleteAsync(queue, cancellationToken: CancellationToken.None);
        }
    }

    public static async Task<double> BareMassTransit(int count, CancellationToken cancellationToken)
    {
        var counter = new BenchCounter(count);
        var queue = $"hub.bench-mt-{Guid.NewGuid():N}";
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(counter);

        // Until the receive endpoint has bound its queue, sends to its exchange would be dropped as unroutable.
        builder.Services.Configure<MassTransitHostOptions>(options => options.WaitUntilStarted = true);
        builder.Services.AddMassTransit(bus =>
        {
            bus.DisableUsageTelemetry();
            bus.AddConsumer<BenchConsumer>();
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.ConnectTo(BrokerSettings.Development("hub"));
                rabbit.ReceiveEndpoint(queue, endpoint =>
                {
                    endpoint.SetQuorumQueue();
                    endpoint.ConfigureConsumeTopology = false;
                    endpoint.PrefetchCount = 100;
                    endpoint.ConfigureConsumer<BenchConsumer>(context);
                });
            });
        });
        using var host = builder.Build();
        await host.StartAsync(cancellationToken);
        try
        {
            var bus = host.Services.GetRequiredService<IBus>();
            var endpoint = await bus.GetSendEndpoint(new Uri($"exchange:{queue}"));
            var payload = new string('x', 1024);
            var clock = Stopwatch.StartNew();
            for (var sent = 0; sent < count; sent += 100)
            {
                var batch = Enumerable.Range(0, Math.Min(100, count - sent)).Select(_ => endpoint.Send(new BenchMessage(payload), cancellationToken));
                await Task.WhenAll(batch).WaitAsync(cancellationToken);
            }

            await counter.Done.WaitAsync(cancellationToken);
            return count / clock.Elapsed.TotalSeconds;
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
            await using var connection = await Broker.Factory("hub").CreateConnectionAsync(CancellationToken.None);
            await using var channel = await connection.CreateChannelAsync(cancellationToken: CancellationToken.None);
            await channel.QueueDeleteAsync(queue, cancellationToken: CancellationToken.None);
            await channel.ExchangeDeleteAsync(queue, cancellationToken: CancellationToken.None);
        }
    }
}
