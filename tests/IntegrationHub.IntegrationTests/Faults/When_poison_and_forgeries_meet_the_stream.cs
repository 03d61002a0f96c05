using System.Diagnostics;
using System.Text.Json;
using IntegrationHub.Contracts;
using IntegrationHub.Platform;
using MassTransit.Serialization;
using RabbitMQ.Client;
using Xunit.Abstractions;

namespace IntegrationHub.IntegrationTests.Faults;

/// <summary>
/// Issue 12, fault suite: poison messages at the hub and at a worker (one unreadable, one whose
/// consumer throws) and forged deliveries end in the error queues with their reasons while the
/// stream behind them flows on within seconds.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class When_poison_and_forgeries_meet_the_stream(OwnBroker broker, ITestOutputHelper output)
{
    [Fact]
    public async Task Should_park_each_in_its_error_queue_and_keep_the_stream_flowing()
    {
        await using var world = await FaultWorld.Start(broker);
        var stream = world.Pd.Stream(150);
        await world.UntilRouted(30);

        await using (var pd = await broker.Connect("pd"))
        await using (var channel = await Broker.Channel(pd))
        {
            // At the hub: a body that is no capture, and a capture id used before for another capture (its consumer throws).
            await channel.BasicPublishAsync("inbound.customer-data-captured", "", mandatory: true,
                Broker.Properties<CustomerDataCaptured>(Guid.NewGuid(), "pd"), """{"x":1}"""u8.ToArray());
            var (usedId, usedBy) = world.Pd.Confirmed.First();
            var reused = PdPublisher.Capture(usedBy) with { CaptureId = usedId, Data = new CategoryData { [DataCategory.VehicleHistory] = new() { ["service"] = "another visit" } } };
            await channel.BasicPublishAsync("inbound.customer-data-captured", "", mandatory: true,
                Broker.Properties<CustomerDataCaptured>(usedId, "pd"), JsonSerializer.SerializeToUtf8Bytes(reused, SystemTextJsonMessageSerializer.Options));
        }

        await using (var hub = await broker.Connect("hub"))
        await using (var channel = await Broker.Channel(hub))
        {
            // At PAG's worker: a body that is no delivery, a delivery addressed to PD (its consumer throws), and a
            // delivery that did not come from the hub (user_id pag: only the hub's user may set another user's id).
            await channel.BasicPublishAsync("company.pag", "", mandatory: true, Broker.Properties<DeliverCustomerData>(Guid.NewGuid(), "hub"), """{"x":1}"""u8.ToArray());
            await channel.BasicPublishAsync("company.pag", "", mandatory: true, Broker.Properties<DeliverCustomerData>(Guid.NewGuid(), "hub"), Delivery(world, "PD"));
            await channel.BasicPublishAsync("company.pag", "", mandatory: true, Broker.Properties<DeliverCustomerData>(Guid.NewGuid(), "pag"), Delivery(world, "PAG"));
        }

        // PAG itself cannot put anything into its own queue.
        await using (var pag = await broker.Connect("pag"))
        {
            await Broker.AssertRefused(pag, "PAG sending into company.pag", channel =>
                channel.BasicPublishAsync("company.pag", "", mandatory: false, Broker.Properties<DeliverCustomerData>(Guid.NewGuid(), "pag"), Delivery(world, "PAG")).AsTask());
        }

        // The stream behind them flows within seconds: a capture published now is stored at PAG.
        var clock = Stopwatch.StartNew();
        var behind = await world.Pd.CaptureOne();
        await Eventually.Until(async () => (await world.Store("PAG").Records()).Any(r => r.Customer == behind), "the capture behind the poison stored at PAG", 15);
        output.WriteLine($"the capture behind the poison stored at PAG after {clock.Elapsed.TotalSeconds:0.0} s");

        await stream.WaitAsync(TimeSpan.FromSeconds(120));
        await world.AssertEveryConfirmedCaptureTookEffectExactlyOnce(hubRefusals: 2, pagRefusals: 3);
        await AssertReasons(broker, "hub.inbound_error", 2);
        await AssertReasons(broker, "company.pag_error", 3);
        output.WriteLine(world.Summary);
    }

    private static byte[] Delivery(FaultWorld world, string recipient)
    {
        var customer = Guid.NewGuid();
        world.Pd.Refused.Add(customer);
        return JsonSerializer.SerializeToUtf8Bytes(new DeliverCustomerData
        {
            DeliveryId = Guid.NewGuid(), CaptureId = Guid.NewGuid(), CustomerId = customer, Recipient = recipient, SourceCompany = "PFS",
            Context = CaptureContext.VehicleContract, Purpose = Purpose.JointCare, CapturedAt = DateTimeOffset.UtcNow, PolicyVersion = "forged",
            Data = new CategoryData { [DataCategory.CreditBank] = new() { ["score"] = "forged" } },
        }, SystemTextJsonMessageSerializer.Options);
    }

    /// <summary>Every parked message says why (MassTransit's fault header), in the error queue the fault was counted in.</summary>
    private static async Task AssertReasons(OwnBroker broker, string queue, int count)
    {
        await using var connection = await broker.Connect("hub");
        await using var channel = await connection.CreateChannelAsync();
        var parked = await Broker.Drain(channel, queue);
        Assert.Equal(count, parked.Count);
        Assert.All(parked, m => Assert.False(string.IsNullOrWhiteSpace(Broker.Header(m, "MT-Fault-Message")), $"parked in {queue} without a reason"));
    }
}
