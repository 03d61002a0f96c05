using IntegrationHub.Contracts;
using IntegrationHub.Hub;
using IntegrationHub.Hub.Audit;
using IntegrationHub.Hub.Persistence;
using IntegrationHub.Platform;
using IntegrationHub.Routing;
using IntegrationHub.Workers;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Cli;

/// <summary>
/// The main job for now: the hub and every company worker in one process on MassTransit's in-memory
/// transport, each with its own SQLite file. Routes a handful of captures and prints each decision.
/// </summary>
internal static class DemoCommand
{
    public static async Task<int> Run(string[] args)
    {
        var dataDirectory = Path.GetFullPath(args.FirstOrDefault() ?? Path.Combine("data", "demo"));
        if (!ClearOwnStores(dataDirectory))
        {
            Console.Error.WriteLine($"hub: demo: {dataDirectory} holds files that are not the demo's stores; give an empty or a new directory");
            return 64;
        }

        var hubOptions = new HubOptions
        {
            PolicyPath = RepositoryFiles.Locate(Path.Combine("infrastructure", "policy", "routing-policy.json")),
            PartiesPath = RepositoryFiles.Locate(Path.Combine("infrastructure", "policy", "parties.json")),
            DatabasePath = Path.Combine(dataDirectory, "hub.db"),
        };

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddHubCore(hubOptions);
        var parties = PartyDirectory.LoadFile(hubOptions.PartiesPath);
        var workers = parties.Companies
            .Select(c => new CompanyWorker(c.Id, Path.Combine(dataDirectory, $"{c.Id.ToLowerInvariant()}.db")))
            .ToList();
        workers.ForEach(w => w.PrepareStore());

        builder.Services.AddMassTransit(bus =>
        {
            bus.DisableUsageTelemetry();
            bus.AddHubSagas();
            bus.UsingInMemory((context, memory) =>
            {
                memory.UsePlainJson();
                memory.ConfigureEndpoints(context);
                workers.ForEach(w => w.ConfigureEndpoint(memory, context));
            });
        });

        using var host = builder.Build();
        await host.StartAsync();
        var publisher = host.Services.GetRequiredService<IBus>();

        Console.WriteLine($"Integration hub demo: policy {host.Services.GetRequiredService<RoutingPolicy>().Version}, data in {dataDirectory}");
        Console.WriteLine();
        var scenario = SampleScenario.Build();
        foreach (var consent in scenario.Consents)
        {
            await publisher.Publish(consent);
        }

        await WaitFor(host.Services, db => db.Inbox.CountAsync(), scenario.Consents.Count);
        foreach (var capture in scenario.Captures)
        {
            await publisher.Publish(capture);
        }

        var routed = await WaitFor(host.Services, async db =>
            await db.Outbox.AnyAsync() ? 0 : await db.Audit.Where(a => a.Kind == AuditKind.CaptureRouted).Select(a => a.MessageId).Distinct().CountAsync(),
            scenario.Captures.Count);
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
            foreach (var capture in scenario.Captures)
            {
                var decision = await db.Audit.AsNoTracking().Where(a => a.MessageId == capture.CaptureId && a.Kind == AuditKind.CaptureRouted).ToListAsync();
                Console.WriteLine($"capture {capture.CaptureId} customer {capture.CustomerId} from {capture.SourceCompany}, " +
                                  $"{capture.Context}{(capture.ContractKind is null ? "" : ":" + capture.ContractKind)}, {capture.Purpose}");
                Console.WriteLine($"  categories: {string.Join(",", capture.Data.Keys.Order())}");
                foreach (var recipient in decision.Where(a => a.Reason == AuditReason.Delivered).GroupBy(a => a.Company))
                {
                    Console.WriteLine($"  -> {recipient.Key} gets {string.Join(",", recipient.Select(a => a.Category))}");
                }

                foreach (var group in decision.Where(a => a.Reason != AuditReason.Delivered).GroupBy(a => (a.Company, a.Reason)))
                {
                    Console.WriteLine($"  x  {group.Key.Company} not sent {string.Join(",", group.Select(a => a.Category))} ({group.Key.Reason})");
                }

                Console.WriteLine();
            }
        }

        // The sends are complete when the captures count as dispatched; give the workers a moment to store.
        var expected = scenario.Captures.Count == routed ? await ExpectedStoredRecords(host.Services) : -1;
        var stored = await WaitForStores(workers, expected);
        Console.WriteLine("What each company's store holds now (records per category):");
        foreach (var worker in workers)
        {
            await using var store = worker.OpenStore();
            var counts = await store.Records.GroupBy(r => r.Category).Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
            Console.WriteLine($"  {worker.CompanyId,-8} {(counts.Count == 0 ? "nothing" : string.Join(", ", counts.OrderBy(c => c.Key.ToString()).Select(c => $"{c.Key} {c.Count}")))}");
        }

        await host.StopAsync();
        var ok = routed == scenario.Captures.Count && stored == expected;
        Console.WriteLine();
        Console.WriteLine(ok
            ? $"demo: {routed} captures routed, {stored} records stored by the companies"
            : $"demo: incomplete: {routed} of {scenario.Captures.Count} captures routed, {stored} of {expected} records stored");
        Console.WriteLine($"the hub's store stays in {dataDirectory}: hub ledger --customer {scenario.Captures[0].CustomerId} --Hub:DatabasePath={Path.Combine(dataDirectory, "hub.db")}");
        return ok ? 0 : 1;
    }

    /// <summary>
    /// Starts from empty stores, deleting only what an earlier demo left (its SQLite files): a directory
    /// with anything else in it is somebody's, and is left alone.
    /// </summary>
    private static bool ClearOwnStores(string directory)
    {
        Directory.CreateDirectory(directory);
        var entries = Directory.EnumerateFileSystemEntries(directory).ToList();
        if (entries.Any(e => !File.Exists(e) || !(e.EndsWith(".db") || e.EndsWith(".db-wal") || e.EndsWith(".db-shm"))))
        {
            return false;
        }

        entries.ForEach(File.Delete);
        return true;
    }

    private static async Task<int> WaitFor(IServiceProvider services, Func<HubDbContext, Task<int>> count, int expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var seen = 0;
        while (DateTime.UtcNow < deadline)
        {
            await using var scope = services.CreateAsyncScope();
            seen = await count(scope.ServiceProvider.GetRequiredService<HubDbContext>());
            if (seen >= expected)
            {
                return seen;
            }

            await Task.Delay(50);
        }

        return seen;
    }

    private static async Task<int> ExpectedStoredRecords(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        return await db.Audit.CountAsync(a => a.Kind == AuditKind.CaptureRouted && a.Reason == AuditReason.Delivered);
    }

    private static async Task<int> WaitForStores(IReadOnlyList<CompanyWorker> workers, int expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var total = 0;
        while (DateTime.UtcNow < deadline)
        {
            total = 0;
            foreach (var worker in workers)
            {
                await using var store = worker.OpenStore();
                total += await store.Records.CountAsync();
            }

            if (total >= expected)
            {
                return total;
            }

            await Task.Delay(50);
        }

        return total;
    }
}
