using IntegrationHub.Hub.Audit;
using IntegrationHub.Contracts;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Hub.Tests;

/// <summary>Two hub processes (two buses, two service providers) share one store and write the same customer.</summary>
public sealed class When_two_hubs_race_on_one_customer
{
    private const int MessagesPerHub = 25;

    [Theory]
    [InlineData(TestStore.Sqlite)]
    [InlineData(TestStore.Postgres)]
    public async Task Should_lose_no_update_and_count_every_write_in_the_version(TestStore store)
    {
        await using var first = await HubHarness.StartNew(store: store);
        await using var second = await first.StartBeside();
        var customer = Guid.NewGuid();

        // Each request opens one fan-out; with nobody holding data, each completes at once. A lost
        // update would lose a fan-out.
        var requests = Enumerable.Range(0, 2 * MessagesPerHub).Select(_ => new RectificationRequested
        {
            RequestId = Guid.NewGuid(), CustomerId = customer, ReceivedBy = "PD", ReceivedAt = HubHarness.Start,
            Corrections = new CategoryData { [DataCategory.ContactIdentification] = new() { ["familyName"] = "corrected" } },
        }).ToList();
        await Task.WhenAll(requests.Select((request, i) => (i % 2 == 0 ? first : second).Publish(request)));

        await first.Settled(s => s?.Requests.Count == requests.Count, customer, $"{requests.Count} requests recorded");
        var state = (await first.Customer(customer))!;
        Assert.Equal(requests.Select(r => r.RequestId).Order(), state.Requests.Order());
        Assert.Equal(requests.Count, state.Version);
        Assert.Equal(requests.Count, await first.Query(db => db.Sagas.Where(s => s.CorrelationId == customer).Select(s => s.Version).SingleAsync()));
        await HubHarness.Eventually(async () => await first.Query(db => db.Audit.CountAsync(a => a.CustomerId == customer && a.Kind == AuditKind.RequestCompleted))
            == requests.Count, "every request completed once");
    }
}
