using System.Text.Json;
using IntegrationHub.Contracts;
using IntegrationHub.Platform;
using IntegrationHub.Workers;
using MassTransit.Serialization;
using Microsoft.EntityFrameworkCore;
using RabbitMQ.Client;
using Xunit.Abstractions;

namespace IntegrationHub.IntegrationTests.Faults;

/// <summary>
/// Issue 9, item 2: a worker takes what is waiting in its queue as one batch in one store transaction.
/// The messages are queued before the worker starts, so that they wait together; no hub runs, so the
/// worker's answers stay in hub.inbound for the test to read.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class When_a_worker_takes_a_batch_from_its_queue(OwnBroker broker, ITestOutputHelper output) : IAsyncLifetime
{
    private const string Company = "PAG";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "ih-batch-" + Guid.NewGuid().ToString("N"));
    private readonly List<WorkerProcess> _workers = [];

    private string StorePath => Path.Combine(_directory, "pag.db");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        await broker.Purge("hub.inbound", "hub.inbound_error", "company.pag", "company.pag_error");
    }

    [Fact]
    public async Task Should_carry_it_out_in_queue_order_set_aside_the_bad_ones_and_commit_it_at_once()
    {
        var customer = Guid.NewGuid();
        var before = new[] { Delivery(customer, DataCategory.VehicleHistory), Delivery(customer, DataCategory.ContactIdentification) };
        var erase = Erasure(customer);
        var after = Delivery(customer, DataCategory.VehicleUsage);
        var others = Enumerable.Range(0, 40).Select(_ => Delivery(Guid.NewGuid(), DataCategory.VehicleHistory)).ToList();
        await using (var hub = await broker.Connect("hub"))
        await using (var channel = await Broker.Channel(hub))
        {
            // Between the deliveries that precede the erasure: one unreadable, one whose consumer throws
            // (addressed to PD), one the hub did not send.
            await Send(channel, before[0]);
            await channel.BasicPublishAsync("company.pag", "", mandatory: true, Broker.Properties<DeliverCustomerData>(Guid.NewGuid(), "hub"), """{"x":1}"""u8.ToArray());
            await Send(channel, Delivery(Guid.NewGuid(), DataCategory.VehicleHistory) with { Recipient = "PD" });
            await Send(channel, Delivery(Guid.NewGuid(), DataCategory.CreditBank), user: "pag");
            await Send(channel, before[1]);
            await Send(channel, erase);
            await Send(channel, after);
            foreach (var delivery in others)
            {
                await Send(channel, delivery);
            }
        }

        // Watches the store while the worker works: every commit shows as a new count of handled deliveries.
        using var watching = new CancellationTokenSource();
        var counts = WatchHandledDeliveries(watching.Token);
        await StartWorker();
        await Eventually.Until(async () => await HandledDeliveries() == 2 + 40, "the deliveries of the batch stored", 60);
        await Eventually.Until(async () => await broker.Count("company.pag_error") == 3, "the three refused messages parked", 30);
        await watching.CancelAsync();
        var seen = await counts;
        output.WriteLine($"handled deliveries seen in the store, in order: {string.Join(", ", seen)}");

        // The erasure found both deliveries that were queued before it, and the one after it was refused as late.
        var answer = Assert.Single(await Answers<CustomerDataErased>());
        Assert.Equal(erase.CommandId, answer.CommandId);
        Assert.Equal([new CategoryOutcome { Category = DataCategory.ContactIdentification, Outcome = OutcomeKind.Erased, RecordCount = 1 },
            new CategoryOutcome { Category = DataCategory.VehicleHistory, Outcome = OutcomeKind.Erased, RecordCount = 1 }], answer.Receipt.Outcomes);
        await using (var store = CompanyStore.Open(StorePath))
        {
            Assert.Empty(await store.Records.Where(r => r.CustomerId == customer).ToListAsync());
            Assert.Equal(after.DeliveryId, (await store.RefusedDeliveries.SingleAsync()).DeliveryId);
            Assert.Equal(others.Select(d => d.DeliveryId).Order(), (await store.Records.Select(r => r.DeliveryId).ToListAsync()).Order());
        }

        // 46 messages in a few commits (a batch takes at most half a second of work), not one each: a reader
        // of the store never saw most of the counts in between (one commit each showed 35 of the 42 counts).
        Assert.True(seen.Count <= 10, $"the store showed {seen.Count} states of 42 deliveries: {string.Join(", ", seen)}");
    }

    [Fact]
    public async Task Should_answer_only_what_is_committed_when_killed_in_a_batch_and_answer_a_repeat_the_same()
    {
        // Customers held at PAG, stored by a first run of the worker.
        var customers = Enumerable.Range(0, 150).Select(_ => Guid.NewGuid()).ToList();
        await using (var hub = await broker.Connect("hub"))
        await using (var channel = await Broker.Channel(hub))
        {
            foreach (var customer in customers)
            {
                await Send(channel, Delivery(customer, DataCategory.VehicleHistory));
            }
        }

        var first = await StartWorker();
        await Eventually.Until(async () => await HandledDeliveries() == customers.Count, "the customers stored at PAG", 60);
        await Kill(first);

        // Their erasures wait together, the first one twice within the batch.
        var erasures = customers.Select(Erasure).ToList();
        await using (var hub = await broker.Connect("hub"))
        await using (var channel = await Broker.Channel(hub))
        {
            await Send(channel, erasures[0]);
            foreach (var erasure in erasures)
            {
                await Send(channel, erasure);
            }
        }

        // Killed as soon as the first answer is out: whatever was answered is in the store.
        var second = await StartWorker();
        await using (var hub = await broker.Connect("hub"))
        await using (var channel = await hub.CreateChannelAsync())
        {
            await Eventually.Until(async () => (await channel.QueueDeclarePassiveAsync("hub.inbound")).MessageCount > 0, "the first answer", 60);
        }

        await Kill(second);
        var answeredBeforeKill = await Answers<CustomerDataErased>();
        output.WriteLine($"{answeredBeforeKill.Count} answers out before the kill");
        await using (var store = CompanyStore.Open(StorePath))
        {
            var durable = await store.Answered.Select(a => a.CommandId).ToListAsync();
            Assert.All(answeredBeforeKill, a => Assert.Contains(a.CommandId, durable));
        }

        // Started again: the rest is carried out, and a command carried out before is answered with the same receipt.
        await StartWorker();
        var answers = new List<CustomerDataErased>(answeredBeforeKill);
        await Eventually.Until(async () =>
        {
            answers.AddRange(await Answers<CustomerDataErased>());
            return answers.Select(a => a.CommandId).Distinct().Count() == erasures.Count && await broker.Count("company.pag") == 0;
        }, "every erasure answered", 60);
        foreach (var command in answers.GroupBy(a => a.CommandId))
        {
            Assert.Single(command.Select(a => JsonSerializer.Serialize(a.Receipt)).Distinct());
        }

        Assert.True(answers.Count(a => a.CommandId == erasures[0].CommandId) >= 2, "the repeat within the batch was not answered");
        await using (var store = CompanyStore.Open(StorePath))
        {
            Assert.Empty(await store.Records.ToListAsync());
            Assert.Equal(erasures.Count, await store.Answered.CountAsync());
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var worker in _workers)
        {
            await worker.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task<WorkerProcess> StartWorker()
    {
        var worker = WorkerProcess.Start(Company, "IntegrationHub.Worker.Pag", StorePath, broker.Url);
        _workers.Add(worker);
        await worker.UntilConsuming(DateTime.UtcNow.AddSeconds(60), broker.Connect);
        return worker;
    }

    private static async Task Kill(WorkerProcess worker)
    {
        worker.Process.Kill(entireProcessTree: true);
        await worker.Process.WaitForExitAsync();
    }

    private async Task<int> HandledDeliveries()
    {
        if (!File.Exists(StorePath))
        {
            return 0;
        }

        await using var store = CompanyStore.Open(StorePath);
        return await store.HandledDeliveries.CountAsync();
    }

    /// <summary>Every distinct count of handled deliveries the store shows, read as often as it can be until cancelled.</summary>
    private async Task<List<int>> WatchHandledDeliveries(CancellationToken cancellationToken)
    {
        var seen = new List<int>();
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var count = await HandledDeliveries();
                if (count > 0 && (seen.Count == 0 || seen[^1] != count))
                {
                    seen.Add(count);
                }
            }
            catch (Microsoft.Data.Sqlite.SqliteException)
            {
                // The worker is still creating the store's schema.
            }

            await Task.Delay(2, CancellationToken.None);
        }

        return seen;
    }

    /// <summary>The answers of one type in hub.inbound, taken out of it (no hub runs here).</summary>
    private async Task<List<T>> Answers<T>() where T : class
    {
        await using var hub = await broker.Connect("hub");
        await using var channel = await hub.CreateChannelAsync();
        return (await Broker.DrainByConsuming(channel, "hub.inbound"))
            .Where(m => Broker.Header(m, BrokerNames.MessageTypeHeader) == BrokerNames.MessageUrn<T>())
            .Select(m => JsonSerializer.Deserialize<T>(m.Body.Span, SystemTextJsonMessageSerializer.Options)!)
            .ToList();
    }

    private static async Task Send<T>(IChannel channel, T message, string user = "hub") where T : class =>
        await channel.BasicPublishAsync("company.pag", "", mandatory: true, Broker.Properties<T>(Guid.NewGuid(), user),
            JsonSerializer.SerializeToUtf8Bytes(message, SystemTextJsonMessageSerializer.Options));

    private static DeliverCustomerData Delivery(Guid customer, DataCategory category) => new()
    {
        DeliveryId = Guid.NewGuid(), CaptureId = Guid.NewGuid(), CustomerId = customer, Recipient = Company, SourceCompany = "PD",
        DealerId = "PZ-HAMBURG", Context = CaptureContext.Workshop, Purpose = Purpose.JointCare, CapturedAt = DateTimeOffset.UtcNow,
        PolicyVersion = "test", Data = new CategoryData { [category] = new() { ["note"] = "batch test" } },
    };

    private static EraseCustomerData Erasure(Guid customer) => new()
    {
        CommandId = Guid.NewGuid(), RequestId = Guid.NewGuid(), CustomerId = customer, Recipient = Company, Categories = [DataCategory.VehicleHistory],
        AcknowledgeBy = DateTimeOffset.UtcNow.AddDays(7), Reason = ErasureReason.DataSubjectRequest,
    };
}
