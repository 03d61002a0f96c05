using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace IntegrationHub.IntegrationTests.Faults;

/// <summary>
/// Issue 12, finding 4: a 50 MB capture was routed in full. Our processes refuse bodies above 512 KiB
/// with a reason; the broker, configured by the repository's rabbitmq.conf, takes nothing above 1 MiB at all.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class When_a_message_is_larger_than_the_broker_takes(OwnBroker broker)
{
    [Fact]
    public async Task Should_be_refused_by_the_broker_and_leave_the_connection_usable()
    {
        await broker.Purge("hub.inbound");
        await using var pd = await broker.Connect("pd");
        await using (var channel = await Broker.Channel(pd))
        {
            var oversized = new byte[1024 * 1024 + 1];
            var refused = await Assert.ThrowsAnyAsync<Exception>(async () =>
            {
                await channel.BasicPublishAsync("inbound.customer-data-captured", "", mandatory: true,
                    Broker.Properties<Contracts.CustomerDataCaptured>(Guid.NewGuid(), "pd"), oversized);
                await channel.ExchangeDeclarePassiveAsync("inbound.customer-data-captured");
            });
            Assert.True(refused is OperationInterruptedException or AlreadyClosedException or PublishException, refused.GetType().Name);
            Assert.Equal((ushort)406, channel.CloseReason?.ReplyCode);
            Assert.Contains("max size", channel.CloseReason?.ReplyText);
        }

        // The channel is closed, not the connection: the next, well-sized message goes through.
        await using var next = await Broker.Channel(pd);
        await next.BasicPublishAsync("inbound.customer-data-captured", "", mandatory: true, Broker.Properties<Contracts.CustomerDataCaptured>(Guid.NewGuid(), "pd"), "{}"u8.ToArray());
        Assert.Equal(1u, await broker.Count("hub.inbound"));
        await broker.Purge("hub.inbound");
    }
}
