using System.Text;
using System.Text.Json;
using IntegrationHub.Contracts;
using IntegrationHub.Hub.Persistence;
using IntegrationHub.Platform;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MassTransit.Serialization;

namespace IntegrationHub.IntegrationTests;

[Collection(HubCollection.Name)]
public sealed class When_an_erased_customer_has_parked_copies(HubProcess hub)
{
    [Fact]
    public async Task Should_remove_them_from_the_error_queue_and_keep_everyone_else_s()
    {
        await using var hubConnection = await Broker.Connect("hub");
        await using var hubChannel = await Broker.Channel(hubConnection);
        await hubChannel.QueuePurgeAsync("hub.inbound_error");
        var erased = Guid.NewGuid();
        var other = Guid.NewGuid();

        // Two captures the hub refuses (an unknown Porsche Zentrum): both are parked in the error queue.
        await using (var pd = await Broker.Connect("pd"))
        await using (var channel = await Broker.Channel(pd))
        {
            foreach (var customer in new[] { erased, other })
            {
                await Broker.PublishJson(channel, "inbound.customer-data-captured", BrokerNames.MessageUrn<CustomerDataCaptured>(),
                    JsonSerializer.Serialize(new CustomerDataCaptured
                    {
                        CaptureId = Guid.NewGuid(), CustomerId = customer, SourceCompany = "PD", DealerId = "PZ-ATLANTIS",
                        Context = CaptureContext.Events, Purpose = Purpose.JointCare, CapturedAt = DateTimeOffset.UtcNow,
                        Data = new CategoryData { [DataCategory.ContactIdentification] = new() { ["familyName"] = "Beispiel" } },
                    }, SystemTextJsonMessageSerializer.Options), userId: "pd");
            }

            await Eventually.Until(async () => await Broker.Count(hubChannel, "hub.inbound_error") == 2, "both refused captures parked");

            await Broker.PublishJson(channel, "inbound.erasure-requested", BrokerNames.MessageUrn<ErasureRequested>(),
                JsonSerializer.Serialize(new ErasureRequested { RequestId = Guid.NewGuid(), CustomerId = erased, ReceivedBy = "PD", ReceivedAt = DateTimeOffset.UtcNow },
                    SystemTextJsonMessageSerializer.Options), userId: "pd");
        }

        await Eventually.Until(async () => await Broker.Count(hubChannel, "hub.inbound_error") == 1, "the erased customer's copy removed");
        var kept = Assert.Single(await Broker.Drain(hubChannel, "hub.inbound_error"));
        var body = Encoding.UTF8.GetString(kept.Body.Span);
        Assert.Contains(other.ToString(), body);
        Assert.DoesNotContain(erased.ToString(), body);
        Assert.Contains("dealerId is not a known Porsche Zentrum", Broker.Header(kept, "MT-Fault-Message"));
        await using var scope = hub.Services.CreateAsyncScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<HubDbContext>().PendingScrubs.AnyAsync(p => p.CustomerId == erased));
    }
}
