using IntegrationHub.Benchmarks;
using IntegrationHub.Contracts;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Hub.Tests;

/// <summary>
/// The benchmark fills stores of up to a million customers directly (bench/IntegrationHub.Benchmarks,
/// BenchmarkSeed). A customer written that way must be to the hub what a customer it created itself is:
/// found, routed, updated in place, its ledger rows rewritten, no second saga.
/// </summary>
public sealed class When_the_benchmark_fills_a_store
{
    [Fact]
    public async Task Should_route_a_capture_to_a_filled_customer_as_to_one_the_hub_created_itself()
    {
        var directory = Path.Combine(Path.GetTempPath(), "ih-seed-tests-" + Guid.NewGuid().ToString("N"));
        var path = Path.Combine(directory, "hub.db");
        try
        {
            var (customers, _) = BenchmarkSeed.Fill(path, 50);
            await using (var hub = await HubHarness.StartNew(path))
            {
                var customer = customers[17];
                var capture = Scenario.WorkshopVisit(customer);

                await hub.Publish(capture);

                var deliveries = await hub.Sent<DeliverCustomerData>(d => d.CaptureId == capture.CaptureId, 2);
                Assert.Equal(["OP-NORD", "PAG"], deliveries.Select(d => d.Recipient).Order());
                await hub.Settled(s => s?.Version == 2, customer, "the filled customer updated in place");
                var state = (await hub.Customer(customer))!;
                Assert.Equal(4, state.Ledger.Count);
                Assert.All(state.Ledger, held => Assert.Equal(deliveries.Single(d => d.Recipient == held.Company).DeliveryId, held.LastDeliveryId));
                var ledger = await hub.Query(db => db.Ledger.Where(l => l.CustomerId == customer).ToListAsync());
                Assert.Equal(4, ledger.Count);
                Assert.All(ledger, row => Assert.Equal(deliveries.Single(d => d.Recipient == row.Company).DeliveryId, row.LastDeliveryId));
                Assert.Equal(50, await hub.Query(db => db.Sagas.CountAsync()));
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }
}
