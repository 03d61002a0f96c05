using System.Text.Json;
using IntegrationHub.Contracts;
using IntegrationHub.Platform;

namespace IntegrationHub.IntegrationTests;

/// <summary>Every event the hub publishes reaches a queue operations can read; nothing else is theirs to read.</summary>
[Collection(HubCollection.Name)]
public sealed class When_operations_read_the_hub_s_events(HubProcess hub)
{
    [Fact]
    public async Task Should_find_a_completed_erasure_in_ops_events()
    {
        _ = hub;
        var request = Guid.NewGuid();

        // Nobody holds data of a customer the hub has never seen: the erasure completes at once.
        await Broker.PublishAs("pd", "inbound.erasure-requested",
            new ErasureRequested { RequestId = request, CustomerId = Guid.NewGuid(), ReceivedBy = "PD", ReceivedAt = DateTimeOffset.UtcNow });

        await using var ops = await Broker.Connect("ops");
        await using var channel = await ops.CreateChannelAsync();
        var completed = await Eventually.Until<ErasureCompleted?>(async () =>
        {
            while (await channel.BasicGetAsync("ops.events", autoAck: true) is { } message)
            {
                if (Broker.Header(message, BrokerNames.MessageTypeHeader) == BrokerNames.MessageUrn<ErasureCompleted>() &&
                    JsonSerializer.Deserialize<ErasureCompleted>(message.Body.Span, MassTransit.Serialization.SystemTextJsonMessageSerializer.Options) is { } e &&
                    e.RequestId == request)
                {
                    return e;
                }
            }

            return null;
        }, e => e is not null, "the ErasureCompleted in ops.events");

        Assert.Empty(completed!.AcknowledgedBy);

        // Operations read their events, never a company's queue.
        await using var other = await ops.CreateChannelAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => other.BasicGetAsync("company.pd", autoAck: false));
    }
}
