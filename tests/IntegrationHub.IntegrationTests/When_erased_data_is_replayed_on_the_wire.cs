using System.Text;
using System.Text.Json;
using IntegrationHub.Contracts;
using IntegrationHub.Hub.Requests;
using IntegrationHub.Platform;
using IntegrationHub.Workers;
using MassTransit.Serialization;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.IntegrationTests;

/// <summary>
/// Issue 13: after an erasure no value stays in a worker's database or WAL file, and the same delivery
/// moved back into the company's queue (as an operator replaying an error or dead-letter queue would)
/// is acknowledged, counted and not stored.
/// </summary>
[Collection(HubCollection.Name)]
public sealed class When_erased_data_is_replayed_on_the_wire(HubProcess hub, WorkerProcesses workers) : IClassFixture<WorkerProcesses>
{
    private readonly Guid _customer = Guid.NewGuid();
    private readonly string _value = "value-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task Should_leave_no_value_in_the_store_files_and_refuse_the_replayed_delivery()
    {
        var capture = new CustomerDataCaptured
        {
            CaptureId = Guid.NewGuid(), CustomerId = _customer, SourceCompany = "PD", DealerId = "PZ-HAMBURG", Context = CaptureContext.Workshop,
            Purpose = Purpose.JointCare, CapturedAt = DateTimeOffset.UtcNow,
            Data = new CategoryData { [DataCategory.ContactIdentification] = new() { ["familyName"] = _value } },
        };
        await Broker.PublishAs("pd", "inbound.customer-data-captured", capture);
        await Eventually.Until(() => workers.Holdings("OP-NORD"), h => h.ContainsKey(_customer), "the capture at OP-NORD");
        Assert.NotEmpty(FilesHolding("OP-NORD"));

        var erasure = Guid.NewGuid();
        await Broker.PublishAs("pd", "inbound.erasure-requested", new ErasureRequested { RequestId = erasure, CustomerId = _customer, ReceivedBy = "PD", ReceivedAt = DateTimeOffset.UtcNow });
        await hub.UntilErased(erasure);
        foreach (var (company, _) in WorkerProcesses.Workers)
        {
            Assert.Empty(FilesHolding(company));
        }

        var replay = new DeliverCustomerData
        {
            DeliveryId = RequestCommands.DeliveryId(capture.CaptureId, "OP-NORD"), CaptureId = capture.CaptureId, CustomerId = _customer, Recipient = "OP-NORD",
            SourceCompany = "PD", DealerId = "PZ-HAMBURG", Context = capture.Context, Purpose = capture.Purpose, CapturedAt = capture.CapturedAt,
            Data = capture.Data, PolicyVersion = "replayed",
        };
        await using (var connection = await Broker.Connect("hub"))
        await using (var channel = await Broker.Channel(connection))
        {
            await Broker.PublishJson(channel, BrokerNames.CompanyQueue("OP-NORD"), BrokerNames.MessageUrn<DeliverCustomerData>(),
                JsonSerializer.Serialize(replay, SystemTextJsonMessageSerializer.Options), userId: "hub");
        }

        var refused = await Eventually.Until(async () =>
        {
            await using var store = workers.Store("OP-NORD");
            return await store.RefusedDeliveries.AsNoTracking().Where(r => r.DeliveryId == replay.DeliveryId).ToListAsync();
        }, r => r.Count > 0, "the replay refused at OP-NORD");
        Assert.Equal(DeliveryRefusal.ErasedSinceStored, Assert.Single(refused).Reason);
        Assert.False((await workers.Holdings("OP-NORD")).ContainsKey(_customer));
        Assert.Empty(FilesHolding("OP-NORD"));
    }

    private List<string> FilesHolding(string company) => workers.FilesHolding(company, [_value]);
}
