using IntegrationHub.Contracts;
using IntegrationHub.Hub.Persistence;
using IntegrationHub.Hub.Sagas;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.IntegrationTests;

/// <summary>The outbox sends as mandatory: a message RabbitMQ can route to no queue is a failed send, not a confirmed one.</summary>
[Collection(HubCollection.Name)]
public sealed class When_a_send_reaches_no_queue(HubProcess hub)
{
    [Fact]
    public async Task Should_keep_the_row_as_a_failed_send_with_the_broker_s_reason()
    {
        // An exchange the hub may declare (company.*) with no queue bound: what a deleted company queue leaves behind.
        var exchange = "company.outbox-test-" + Guid.NewGuid().ToString("N");
        var customer = Guid.NewGuid();
        try
        {
            await using (var scope = hub.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
                new HubOutbox(db, TimeProvider.System).Send(customer, new Uri("exchange:" + exchange), new LiftRestriction
                {
                    CommandId = Guid.NewGuid(), RequestId = Guid.NewGuid(), CustomerId = customer, Recipient = "PD",
                    Categories = [DataCategory.ContactIdentification], AcknowledgeBy = DateTimeOffset.UtcNow.AddDays(3),
                });
                await db.SaveChangesAsync();
            }

            hub.Services.GetRequiredService<OutboxDispatcher>().Wake();

            var row = await Eventually.Until(() => Row(customer), r => r is null || r.Attempts > 0, "the send tried");
            Assert.NotNull(row);
            Assert.Null(row.ParkedAt);
            Assert.StartsWith("MessageReturnedException: ", row.LastError);
        }
        finally
        {
            await using (var scope = hub.Services.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<HubDbContext>().Outbox.Where(o => o.CustomerId == customer).ExecuteDeleteAsync();
            }

            await using var connection = await Broker.Connect("hub");
            await using var channel = await connection.CreateChannelAsync();
            await channel.ExchangeDeleteAsync(exchange);
        }
    }

    private async Task<OutboxRow?> Row(Guid customer)
    {
        await using var scope = hub.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<HubDbContext>().Outbox.AsNoTracking().SingleOrDefaultAsync(o => o.CustomerId == customer);
    }
}
