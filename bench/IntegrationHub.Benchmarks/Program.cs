using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using IntegrationHub.Contracts;
using IntegrationHub.Hub;
using IntegrationHub.Platform;
using MassTransit;
using MassTransit.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using IntegrationHub.Benchmarks;
using RabbitMQ.Client;

// Side-by-side throughput on the same broker in one run (ARCHITECTURE.md names the baselines):
//   1. raw RabbitMQ.Client: 1 KB persistent messages, publisher confirms, publish and consume in one process;
//   2. bare MassTransit: the same, through MassTransit's publish and a consumer;
//   3. the hub: captures published as raw AMQP by PD, routed by the customer sagas (SQLite, outbox),
//      counted when every copy has reached the company queues.
// usage: dotnet run -c Release --project bench/IntegrationHub.Benchmarks [messages] [results file]
// ---- soak hook (issue 12, item 3; everything else is in Soak.cs): `-- --soak [captures] [results file]` ----
if (args.Length > 0 && args[0] == "--soak")
{
    return await Soak.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200_000, args.Length > 2 ? args[2] : Path.Combine("bench", "soak-results.md"));
}
// ---- end of soak hook ----

var messages = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2000;
var resultsPath = args.Length > 1 ? args[1] : Path.Combine("bench", "results.md");
var results = new List<(string Name, int Count, TimeSpan Elapsed, string Note)>();

results.Add(await RawRabbitMq(messages));
results.Add(await BareMassTransitRun(messages));
results.Add(await HubRouting(Math.Max(100, messages / 4)));

var report = new StringBuilder()
    .AppendLine($"# Throughput, measured {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC")
    .AppendLine()
    .AppendLine($"Machine: {Environment.ProcessorCount} cores; broker: local RabbitMQ (start-broker.sh); command: `dotnet run -c Release --project bench/IntegrationHub.Benchmarks {messages}`.")
    .AppendLine()
    .AppendLine("| what | messages | seconds | messages/s | note |")
    .AppendLine("|---|---|---|---|---|");
foreach (var (name, count, elapsed, note) in results)
{
    report.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {count} | {elapsed.TotalSeconds:0.00} | {count / elapsed.TotalSeconds:0} | {note} |");
}

Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(resultsPath))!);
await File.WriteAllTextAsync(resultsPath, report.ToString());
Console.Write(report);
return 0;

static ConnectionFactory Factory(string user)
{
    var settings = BrokerSettings.Development(user);
    return new ConnectionFactory { HostName = settings.Host, Port = settings.Port, VirtualHost = settings.VirtualHost, UserName = settings.Username, Password = settings.Password };
}

static async Task<(string, int, TimeSpan, string)> RawRabbitMq(int count)
{
    var queue = $"hub.bench-raw-{Guid.NewGuid():N}";
    await using var connection = await Factory("hub").CreateConnectionAsync();
    await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
    await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, new Dictionary<string, object?> { ["x-queue-type"] = "quorum" });

    // The hub's user may not publish to the default exchange; an exchange of the queue's name leads to it.
    await channel.ExchangeDeclareAsync(queue, ExchangeType.Fanout, durable: true);
    await channel.QueueBindAsync(queue, queue, "");
    var received = 0;
    var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    await using var consumerChannel = await connection.CreateChannelAsync();
    await consumerChannel.BasicQosAsync(0, 100, false);
    var consumer = new RabbitMQ.Client.Events.AsyncEventingBasicConsumer(consumerChannel);
    consumer.ReceivedAsync += async (_, delivery) =>
    {
        await consumerChannel.BasicAckAsync(delivery.DeliveryTag, false);
        if (Interlocked.Increment(ref received) == count)
        {
            done.TrySetResult();
        }
    };
    await consumerChannel.BasicConsumeAsync(queue, autoAck: false, consumer);
    var body = new byte[1024];
    var properties = new BasicProperties { DeliveryMode = DeliveryModes.Persistent, ContentType = "application/octet-stream" };
    var clock = Stopwatch.StartNew();
    for (var sent = 0; sent < count; sent += 100)
    {
        var batch = Enumerable.Range(0, Math.Min(100, count - sent))
            .Select(_ => channel.BasicPublishAsync(queue, "", mandatory: false, properties, body).AsTask());
        await Task.WhenAll(batch).WaitAsync(TimeSpan.FromSeconds(30));
    }

    await done.Task.WaitAsync(TimeSpan.FromSeconds(120));
    clock.Stop();
    await channel.QueueDeleteAsync(queue);
    await channel.ExchangeDeleteAsync(queue);
    return ("raw RabbitMQ.Client 7.2.2", count, clock.Elapsed, "1 KB, persistent, confirms, quorum queue, batches of 100");
}

static async Task<(string, int, TimeSpan, string)> BareMassTransitRun(int count)
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
    await host.StartAsync();
    var bus = host.Services.GetRequiredService<IBus>();
    var endpoint = await bus.GetSendEndpoint(new Uri($"exchange:{queue}"));
    var payload = new string('x', 1024);
    var clock = Stopwatch.StartNew();
    for (var sent = 0; sent < count; sent += 100)
    {
        var batch = Enumerable.Range(0, Math.Min(100, count - sent)).Select(_ => endpoint.Send(new BenchMessage(payload)));
        await Task.WhenAll(batch).WaitAsync(TimeSpan.FromSeconds(30));
    }

    await counter.Done.WaitAsync(TimeSpan.FromSeconds(120));
    clock.Stop();
    await host.StopAsync();
    await using (var connection = await Factory("hub").CreateConnectionAsync())
    await using (var channel = await connection.CreateChannelAsync())
    {
        await channel.QueueDeleteAsync(queue);
        await channel.ExchangeDeleteAsync(queue);
    }

    return ("bare MassTransit 8.5.12", count, clock.Elapsed, "1 KB, persistent, confirms, quorum queue, sends awaited in batches of 100");
}

static async Task<(string, int, TimeSpan, string)> HubRouting(int count)
{
    var directory = Path.Combine(Path.GetTempPath(), "ih-bench-" + Guid.NewGuid().ToString("N"));
    var builder = Host.CreateApplicationBuilder();
    builder.Logging.ClearProviders();
    builder.Services.AddHubOnRabbitMq(new HubOptions
    {
        PolicyPath = Path.Combine(AppContext.BaseDirectory, "policy", "routing-policy.json"),
        PartiesPath = Path.Combine(AppContext.BaseDirectory, "policy", "parties.json"),
        DatabasePath = Path.Combine(directory, "hub.db"),
    }, BrokerSettings.Development("hub"));
    using var host = builder.Build();
    await host.StartAsync();
    await using var hubConnection = await Factory("hub").CreateConnectionAsync();
    await using var probe = await hubConnection.CreateChannelAsync();
    foreach (var company in new[] { "company.pag", "company.op-nord" })
    {
        await probe.QueuePurgeAsync(company);
    }

    // Each capture: a workshop visit at PD, copied to OP-NORD and PAG.
    await using var pd = await Factory("pd").CreateConnectionAsync();
    await using var channel = await pd.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
    var properties = new BasicProperties
    {
        ContentType = "application/json", DeliveryMode = DeliveryModes.Persistent, UserId = "pd",
        Headers = new Dictionary<string, object?> { [BrokerNames.MessageTypeHeader] = BrokerNames.MessageUrn<CustomerDataCaptured>() },
    };
    var clock = Stopwatch.StartNew();
    for (var sent = 0; sent < count; sent += 100)
    {
        var batch = Enumerable.Range(0, Math.Min(100, count - sent)).Select(_ =>
        {
            var capture = new CustomerDataCaptured
            {
                CaptureId = Guid.NewGuid(), CustomerId = Guid.NewGuid(), SourceCompany = "PD", DealerId = "PZ-HAMBURG", Context = CaptureContext.Workshop,
                Purpose = Purpose.JointCare, CapturedAt = DateTimeOffset.UtcNow,
                Data = new CategoryData
                {
                    [DataCategory.ContactIdentification] = new() { ["familyName"] = "Bench", ["note"] = new string('x', 600) },
                    [DataCategory.VehicleHistory] = new() { ["service"] = "annual inspection" },
                },
            };
            return channel.BasicPublishAsync("inbound.customer-data-captured", "", mandatory: false, properties,
                JsonSerializer.SerializeToUtf8Bytes(capture, SystemTextJsonMessageSerializer.Options)).AsTask();
        });
        await Task.WhenAll(batch).WaitAsync(TimeSpan.FromSeconds(30));
    }

    var deadline = DateTime.UtcNow.AddMinutes(5);
    while ((await probe.QueueDeclarePassiveAsync("company.pag")).MessageCount < count || (await probe.QueueDeclarePassiveAsync("company.op-nord")).MessageCount < count)
    {
        if (DateTime.UtcNow > deadline)
        {
            throw new TimeoutException("the hub did not route every capture within 5 minutes");
        }

        await Task.Delay(20);
    }

    clock.Stop();
    foreach (var company in new[] { "company.pag", "company.op-nord" })
    {
        await probe.QueuePurgeAsync(company);
    }

    await host.StopAsync();
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    Directory.Delete(directory, recursive: true);
    return ("the hub: capture to company queues", count, clock.Elapsed, "a new customer per capture: saga insert, policy decision, ledger, audit, outbox, 2 copies sent");
}

