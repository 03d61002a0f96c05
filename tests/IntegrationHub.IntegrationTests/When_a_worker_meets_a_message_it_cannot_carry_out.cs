using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.Contracts;
using IntegrationHub.Platform;
using MassTransit.Serialization;
using Microsoft.EntityFrameworkCore;
using RabbitMQ.Client;

namespace IntegrationHub.IntegrationTests;

/// <summary>
/// A message a worker cannot read or carry out goes to the company's own error queue with its reason,
/// and the messages behind it flow on (issue 12, finding 1: one such message stopped PAG's worker for 14 minutes).
/// </summary>
[Collection(HubCollection.Name)]
public sealed class When_a_worker_meets_a_message_it_cannot_carry_out(PagWorker pag) : IClassFixture<PagWorker>
{
    [Fact]
    public async Task Should_park_it_in_the_company_error_queue_with_the_reason_and_keep_consuming()
    {
        var customer = Guid.NewGuid();
        await using var hub = await Broker.Connect("hub");
        await using var channel = await Broker.Channel(hub);

        // Unreadable as its type, then one whose consumer throws (addressed to another company), then a good one.
        await Broker.PublishJson(channel, "company.pag", BrokerNames.MessageUrn<DeliverCustomerData>(), """{"x":1}""", userId: "hub");
        await Broker.PublishJson(channel, "company.pag", BrokerNames.MessageUrn<DeliverCustomerData>(), Json(Delivery(customer, "PD")), userId: "hub");
        var good = Delivery(customer, "PAG");
        await Broker.PublishJson(channel, "company.pag", BrokerNames.MessageUrn<DeliverCustomerData>(), Json(good), userId: "hub");

        await UntilStored(good, "the delivery behind the two bad messages");
        await using var own = await Broker.Connect("pag");
        await using var reader = await own.CreateChannelAsync();
        var parked = await ParkedPair(reader);
        Assert.All(parked, m => Assert.False(string.IsNullOrWhiteSpace(Broker.Header(m, "MT-Fault-Message")), "parked without a reason"));
        Assert.Contains(parked, m => Broker.Header(m, "MT-Fault-Message")!.Contains("not to PAG"));
        Assert.Equal(1u, (await reader.QueueDeclarePassiveAsync("company.pag")).ConsumerCount);
    }

    [Fact]
    public async Task Should_refuse_a_delivery_the_hub_did_not_send_and_store_only_the_hub_s()
    {
        var customer = Guid.NewGuid();
        await using var hub = await Broker.Connect("hub");
        await using var channel = await Broker.Channel(hub);

        // The broker lets only the hub's user (tagged impersonator) write here or set a foreign user_id:
        // a delivery posing as PAG's own, one without user_id, then the hub's own.
        var forged = Delivery(customer, "PAG") with { Data = new CategoryData { [DataCategory.CreditBank] = new() { ["score"] = "forged" } } };
        await Broker.PublishJson(channel, "company.pag", BrokerNames.MessageUrn<DeliverCustomerData>(), Json(forged), userId: "pag");
        var anonymous = Delivery(customer, "PAG");
        await Broker.PublishJson(channel, "company.pag", BrokerNames.MessageUrn<DeliverCustomerData>(), Json(anonymous), userId: null);
        var genuine = Delivery(customer, "PAG");
        await Broker.PublishJson(channel, "company.pag", BrokerNames.MessageUrn<DeliverCustomerData>(), Json(genuine), userId: "hub");

        await UntilStored(genuine, "the hub's delivery");
        await using (var store = pag.Worker.Store())
        {
            Assert.Equal([genuine.DeliveryId], await store.Records.Where(r => r.CustomerId == customer).Select(r => r.DeliveryId).ToListAsync());
        }

        await using var own = await Broker.Connect("pag");
        await using var reader = await own.CreateChannelAsync();
        var parked = await ParkedPair(reader);
        Assert.All(parked, m => Assert.StartsWith("refused: not sent by the hub", Broker.Header(m, "MT-Fault-Message")));
    }

    [Fact]
    public async Task Should_take_it_again_as_the_hub_s_when_operations_move_it_back_from_the_dashboard()
    {
        await using var hub = await Broker.Connect("hub");
        await using var channel = await Broker.Channel(hub);
        await channel.QueuePurgeAsync("company.pag_error");
        await Broker.PublishJson(channel, "company.pag", BrokerNames.MessageUrn<DeliverCustomerData>(), Json(Delivery(Guid.NewGuid(), "PD")), userId: "hub");
        await Eventually.Until(async () => await Broker.Count(channel, "company.pag_error") == 1, "the misaddressed delivery parked", seconds: 20);

        await using var dashboard = await DashboardProcess.Start(Path.Combine(Path.GetTempPath(), "no-hub-store.db"));
        using var http = new HttpClient { BaseAddress = new Uri(dashboard.Address) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", dashboard.Token);
        var listed = (await http.GetFromJsonAsync<JsonElement>("/api/parked/company.pag_error")).GetProperty("messages").EnumerateArray().Single();
        Assert.Equal("hub", listed.GetProperty("sender").GetString());
        Assert.Equal("company.pag", listed.GetProperty("returnTo").GetString());
        var messageId = listed.GetProperty("messageId").GetString()!;

        using var move = new HttpRequestMessage(HttpMethod.Post, $"/api/parked/company.pag_error/{messageId}/move") { Headers = { { "X-Ops-Dashboard", "1" } } };
        var moved = await (await http.SendAsync(move)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(moved.GetProperty("moved").GetBoolean(), moved.ToString());

        // Back in PAG's queue with the hub's user_id: the worker carries it out as the hub's and refuses it for
        // the same reason as before (addressed to PD), not as a message the hub did not send.
        await using var own = await Broker.Connect("pag");
        await using var reader = await own.CreateChannelAsync();
        var again = await Eventually.Until(() => Broker.Drain(reader, "company.pag_error"), m => m.Count > 0, "the moved delivery parked again", seconds: 20);
        var parkedAgain = Assert.Single(again);
        Assert.Equal(messageId, parkedAgain.BasicProperties.MessageId);
        Assert.NotNull(Broker.Header(parkedAgain, "x-moved-back-at"));
        Assert.Contains("not to PAG", Broker.Header(parkedAgain, "MT-Fault-Message"));
        Assert.Equal("hub", Broker.Header(parkedAgain, ErrorQueueParking.OriginalUserIdHeader));
    }

    /// <summary>Seconds, not minutes: the delivery behind refused messages is stored while they retry and park.</summary>
    private Task UntilStored(DeliverCustomerData delivery, string what) =>
        Eventually.Until(async () =>
        {
            await using var store = pag.Worker.Store();
            return await store.Records.AnyAsync(r => r.DeliveryId == delivery.DeliveryId);
        }, what + " stored", seconds: 20);

    /// <summary>The two refused messages of a test, read from PAG's error queue with PAG's own login.</summary>
    private static async Task<List<BasicGetResult>> ParkedPair(IChannel reader)
    {
        var parked = await Eventually.Until(() => Broker.Drain(reader, "company.pag_error"), m => m.Count >= 2, "both refused messages in company.pag_error", seconds: 10);
        Assert.Equal(2, parked.Count);
        return parked;
    }

    private static DeliverCustomerData Delivery(Guid customer, string recipient) => new()
    {
        DeliveryId = Guid.NewGuid(), CaptureId = Guid.NewGuid(), CustomerId = customer, Recipient = recipient, SourceCompany = "PD",
        DealerId = "PZ-HAMBURG", Context = CaptureContext.Workshop, Purpose = Purpose.JointCare, CapturedAt = DateTimeOffset.UtcNow,
        PolicyVersion = "test", Data = new CategoryData { [DataCategory.VehicleHistory] = new() { ["service"] = "brake pads" } },
    };

    private static string Json<T>(T message) => JsonSerializer.Serialize(message, SystemTextJsonMessageSerializer.Options);
}
