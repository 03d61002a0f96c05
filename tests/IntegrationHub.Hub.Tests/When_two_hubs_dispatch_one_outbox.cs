using IntegrationHub.Hub.Sagas;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Hub.Tests;

/// <summary>Two hub processes (two buses, two service providers) on one store: only the holder of the outbox lease sends.</summary>
public sealed class When_two_hubs_dispatch_one_outbox
{
    [Theory]
    [InlineData(TestStore.Sqlite)]
    [InlineData(TestStore.Postgres)]
    public async Task Should_send_every_row_exactly_once_and_only_from_the_lease_holder(TestStore store)
    {
        await using var first = await HubHarness.StartNew(store: store);
        await using var second = await first.StartBeside();
        var commands = Enumerable.Range(0, 30).SelectMany(_ =>
        {
            var customer = Guid.NewGuid();
            return Enumerable.Range(0, 10).Select(_ => OutboxRows.Command(customer));
        }).ToList();
        await first.Stage((outbox, _) => commands.ForEach(c => outbox.Send(c.CustomerId, OutboxRows.Pd, c)));

        // Whoever took the lease at start lets it run out; both dispatchers then reach for it at once.
        first.Clock.Advance(DispatcherLease.Duration + TimeSpan.FromSeconds(1));
        await Task.WhenAll(Drain(first), Drain(second));

        var holder = await first.Query(db => db.OutboxLeases.SingleAsync());
        var (winner, loser) = holder.Holder == first.Dispatcher.Holder ? (first, second) : (second, first);
        Assert.Equal(winner.Dispatcher.Holder, holder.Holder);
        var sent = (await winner.Sent<Contracts.LiftRestriction>(_ => true, commands.Count)).Select(c => c.CommandId).ToList();
        Assert.Equal(commands.Select(c => c.CommandId).Order(), sent.Order());
        Assert.Empty(loser.SentCommands());
    }

    [Theory]
    [InlineData(TestStore.Sqlite)]
    [InlineData(TestStore.Postgres)]
    public async Task Should_let_the_other_hub_send_as_soon_as_the_holder_stops(TestStore store)
    {
        // The store outlives the first hub, so neither hub owns it.
        var databasePath = Path.Combine(Path.GetTempPath(), "ih-lease-" + Guid.NewGuid().ToString("N"), "hub.db");
        using var database = store == TestStore.Postgres ? Benchmarks.PostgresDatabase.Create() : null;
        var first = await HubHarness.StartNew(databasePath, store: store, postgresConnection: database?.ConnectionString);
        await HubHarness.Eventually(async () => await first.Query(db => db.OutboxLeases.AnyAsync(l => l.Holder == first.Dispatcher.Holder)), "first hub holds the lease");
        var second = await first.StartBeside();

        // Without the release the lease would last two more minutes of (fake, standing) time.
        await first.DisposeAsync();
        var command = OutboxRows.Command(Guid.NewGuid());
        await second.Stage((outbox, _) => outbox.Send(command.CustomerId, OutboxRows.Pd, command));
        second.Dispatcher.Wake();

        Assert.Single(await second.Sent<Contracts.LiftRestriction>(c => c.CommandId == command.CommandId, 1));
        Assert.Equal(second.Dispatcher.Holder, (await second.Query(db => db.OutboxLeases.SingleAsync())).Holder);
        await second.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (store == TestStore.Sqlite)
        {
            Directory.Delete(Path.GetDirectoryName(databasePath)!, recursive: true);
        }
    }

    // Calls the dispatcher directly and keeps calling until the outbox is empty, alongside its own loop.
    private static Task Drain(HubHarness hub) =>
        HubHarness.Eventually(async () =>
        {
            await hub.Dispatcher.DispatchBatch(CancellationToken.None);
            return !await hub.Query(db => db.Outbox.AnyAsync());
        }, "outbox drained");
}
