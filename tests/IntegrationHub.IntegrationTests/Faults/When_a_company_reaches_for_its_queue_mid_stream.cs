using Microsoft.EntityFrameworkCore;
using RabbitMQ.Client;
using Xunit.Abstractions;

namespace IntegrationHub.IntegrationTests.Faults;

/// <summary>
/// Issue 12, finding 2 and fault suite: a company tries to delete, redeclare and purge the queue the
/// hub's deliveries wait in.
/// </summary>
/// <remarks>
/// RabbitMQ 3.10 asks for the read permission on queue.purge, the same permission consuming needs:
/// no permission set can let a company consume its queue and refuse it a purge. The broker does not
/// log a purge either. What shows it is the comparison this suite ends with: the hub's ledger names
/// the customers whose data the company should hold, and the company's store lacks exactly the
/// purged ones.
/// </remarks>
[Collection(FaultCollection.Name)]
public sealed class When_a_company_reaches_for_its_queue_mid_stream(OwnBroker broker, ITestOutputHelper output)
{
    [Fact]
    public async Task Should_refuse_a_delete_and_a_redeclare_and_show_a_purge_as_deliveries_the_ledger_has_and_the_store_lacks()
    {
        await using var world = await FaultWorld.Start(broker, workers: false);
        await world.Pd.Stream(40);
        await world.UntilQueued(40);

        await using var company = await broker.Connect("op-nord");
        await Broker.AssertRefused(company, "OP-NORD deleting company.op-nord", channel => channel.QueueDeleteAsync("company.op-nord"));
        await Broker.AssertRefused(company, "OP-NORD redeclaring company.op-nord", channel =>
            channel.QueueDeclareAsync("company.op-nord", durable: false, exclusive: false, autoDelete: true));
        Assert.Equal(40u, await broker.Count("company.op-nord"));

        await using (var channel = await company.CreateChannelAsync())
        {
            Assert.Equal(40u, await channel.QueuePurgeAsync("company.op-nord"));
        }

        await world.StartWorkers();
        var later = await world.Pd.CaptureOne();
        await Eventually.Until(async () => (await world.Store("OP-NORD").Records()).Any(r => r.Customer == later), "a later capture stored at OP-NORD", 30);
        await Eventually.Until(async () => (await world.LedgerWithoutStore("PAG")).Count == 0, "PAG, whose queue was not purged, holding everything", 30);

        var missing = await world.LedgerWithoutStore("OP-NORD");
        Assert.Equal(world.Pd.Confirmed.Values.Where(c => c != later).Order(), missing.Order());
        output.WriteLine($"{missing.Count} purged deliveries found by comparing the hub's ledger with OP-NORD's store");
    }
}
