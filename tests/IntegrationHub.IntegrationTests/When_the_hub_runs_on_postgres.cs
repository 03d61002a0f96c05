using System.Text.Json;
using IntegrationHub.Benchmarks;
using IntegrationHub.Contracts;
using IntegrationHub.Hub.Persistence;
using IntegrationHub.Platform;
using MassTransit.Serialization;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.IntegrationTests;

/// <summary>
/// `hub serve` with its store on PostgreSQL (Hub:Store=postgres), on the real broker: it routes captures
/// to the companies' queues, each copy once, and carries an erasure through to its tombstone.
/// </summary>
[Collection(ExclusiveHubCollection.Name)]
public sealed class When_the_hub_runs_on_postgres
{
    private const int Customers = 20;

    [Fact]
    public async Task Should_route_captures_and_complete_an_erasure()
    {
        using var database = PostgresDatabase.Create("ih_serve");
        await using var connection = await Broker.Connect("hub");
        await using var channel = await Broker.Channel(connection);
        foreach (var queue in new[] { "hub.inbound", "hub.inbound_skipped", "company.pag", "company.op-nord" })
        {
            await channel.QueuePurgeAsync(queue);
        }

        await using var hub = RunningHubCommand.Start(
            new Dictionary<string, string> { ["Hub__Store"] = "postgres", ["Hub__PostgresConnection"] = database.ConnectionString },
            "serve", $"--Hub:PolicyPath={Path.Combine(AppContext.BaseDirectory, "policy", "routing-policy.json")}",
            $"--Hub:PartiesPath={Path.Combine(AppContext.BaseDirectory, "policy", "parties.json")}", "--Logging:LogLevel:Default=Warning");

        var captures = Enumerable.Range(0, Customers).Select(_ => new CustomerDataCaptured
        {
            CaptureId = Guid.NewGuid(), CustomerId = Guid.NewGuid(), SourceCompany = "PD", DealerId = "PZ-HAMBURG", Context = CaptureContext.Workshop,
            Purpose = Purpose.JointCare, CapturedAt = DateTimeOffset.UtcNow,
            Data = new CategoryData { [DataCategory.ContactIdentification] = new() { ["familyName"] = "Beispiel" } },
        }).ToList();
        foreach (var capture in captures)
        {
            await Broker.PublishAs("pd", "inbound.customer-data-captured", capture);
        }

        // OP-NORD and PAG each get a copy of every capture, once.
        foreach (var company in new[] { "op-nord", "pag" })
        {
            var deliveries = await Take<DeliverCustomerData>(channel, company, Customers);
            Assert.Equal(captures.Select(c => c.CaptureId).Order(), deliveries.Select(d => d.CaptureId).Order());
        }

        var erased = captures[0].CustomerId;
        var erasure = Guid.NewGuid();
        await Broker.PublishAs("pd", "inbound.erasure-requested", new ErasureRequested { RequestId = erasure, CustomerId = erased, ReceivedBy = "PD", ReceivedAt = DateTimeOffset.UtcNow });
        foreach (var company in new[] { "op-nord", "pag" })
        {
            var command = Assert.Single(await Take<EraseCustomerData>(channel, company, 1));
            Assert.Equal(erased, command.CustomerId);
            await Broker.PublishAs(company, "inbound.customer-data-erased", new CustomerDataErased
            {
                CommandId = command.CommandId, RequestId = erasure, CustomerId = erased, Company = command.Recipient,
                Receipt = new ActionReceipt
                {
                    Outcomes = [new CategoryOutcome { Category = DataCategory.ContactIdentification, Outcome = OutcomeKind.Erased, RecordCount = 1 }],
                    Digest = "sha256:" + Guid.NewGuid().ToString("N"), CompletedAt = DateTimeOffset.UtcNow,
                },
            });
        }

        // The store on PostgreSQL, read as the hub reads it: a tombstone, and nothing left of the customer.
        await using var db = new HubDbContext((DbContextOptions<HubDbContext>)new PostgresStoreEngine(database.ConnectionString).Use(new DbContextOptionsBuilder<HubDbContext>()).Options);
        await Eventually.Until(() => db.Tombstones.AnyAsync(t => t.ErasureRequestId == erasure), "the erasure completed with a tombstone", 60);
        Assert.False(await db.Sagas.AnyAsync(s => s.CorrelationId == erased));
        Assert.False(await db.Ledger.AnyAsync(l => l.CustomerId == erased));
        Assert.False(await db.Audit.AnyAsync(a => a.CustomerId == erased));
        Assert.Equal(2 * (Customers - 1), await db.Ledger.CountAsync());
        Assert.Equal(0u, await Broker.Count(channel, "hub.inbound_skipped"));
        Assert.False(hub.HasExited);
    }

    [Fact]
    public async Task Should_refuse_to_start_on_postgres_without_a_connection()
    {
        await using var hub = RunningHubCommand.Start(new Dictionary<string, string> { ["Hub__Store"] = "postgres", [StoreEngine.UrlVariable] = "" },
            "serve", $"--Hub:PolicyPath={Path.Combine(AppContext.BaseDirectory, "policy", "routing-policy.json")}",
            $"--Hub:PartiesPath={Path.Combine(AppContext.BaseDirectory, "policy", "parties.json")}");

        await hub.UntilLines(l => l.Contains("refusing to start"), 1, TimeSpan.FromSeconds(60));
        var refusal = hub.Lines.Single(l => l.Contains("refusing to start"));
        Assert.Contains("Hub:PostgresConnection", refusal);
        Assert.Contains(StoreEngine.UrlVariable, refusal);
        await Eventually.Until(() => Task.FromResult(hub.HasExited), "the hub exited", 30);
    }

    // Waits until the company's queue holds the messages expected, then takes them all.
    private static async Task<List<T>> Take<T>(RabbitMQ.Client.IChannel channel, string company, int expected)
    {
        var queue = "company." + company;
        await Eventually.Until(async () => await Broker.Count(channel, queue) >= expected, $"{expected} {typeof(T).Name} in {queue}", 90);
        return (await Broker.Drain(channel, queue)).Select(m => JsonSerializer.Deserialize<T>(m.Body.Span, SystemTextJsonMessageSerializer.Options)!).ToList();
    }
}
