using IntegrationHub.Hub.Audit;
using IntegrationHub.Hub;
using IntegrationHub.Hub.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace IntegrationHub.IntegrationTests;

/// <summary>The hub on the real broker, with its own SQLite file, as the tests' fixture.</summary>
public sealed class HubProcess : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "ih-tests-" + Guid.NewGuid().ToString("N"));
    private IHost? _host;

    public IServiceProvider Services => _host!.Services;

    public string DatabasePath => Path.Combine(_directory, "hub.db");

    public async Task InitializeAsync()
    {
        // Messages left in the hub's queue by an earlier, interrupted run would reach this run's hub.
        await using (var connection = await Broker.Connect("hub"))
        await using (var channel = await connection.CreateChannelAsync())
        {
            await channel.QueuePurgeAsync("hub.inbound");
        }

        Directory.CreateDirectory(_directory);
        _host = await Start(Options(DatabasePath));
    }

    /// <summary>The hub's settings for a test: the repository's policy files and a store of the test's own.</summary>
    public static HubOptions Options(string databasePath) => new()
    {
        PolicyPath = Path.Combine(AppContext.BaseDirectory, "policy", "routing-policy.json"),
        PartiesPath = Path.Combine(AppContext.BaseDirectory, "policy", "parties.json"),
        DatabasePath = databasePath,
    };

    /// <summary>Starts a hub on the real broker with the hub's own login, in this process.</summary>
    public static async Task<IHost> Start(HubOptions options)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddHubOnRabbitMq(options, Broker.Settings("hub"));
        var host = builder.Build();
        using var start = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await host.StartAsync(start.Token);
        return host;
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
        }

        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>Waits until the hub has handed every copy of the capture to the broker (publisher confirms received).</summary>
    public async Task<bool> WaitUntilDispatched(Guid captureId, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            await using var scope = Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
            var routed = await db.Audit.FirstOrDefaultAsync(a => a.MessageId == captureId && a.Kind == AuditKind.CaptureRouted);
            if (routed is not null && !await db.Outbox.AnyAsync(o => o.CustomerId == routed.CustomerId))
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }

    /// <summary>Waits until every holder acknowledged the erasure and only the tombstone is left.</summary>
    public Task UntilErased(Guid erasureRequestId) =>
        Eventually.Until(async () =>
        {
            await using var scope = Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<HubDbContext>().Tombstones.AnyAsync(t => t.ErasureRequestId == erasureRequestId);
        }, done => done, "the erasure acknowledged by every holder");
}

[CollectionDefinition(Name)]
public sealed class HubCollection : ICollectionFixture<HubProcess>
{
    public const string Name = "hub on the real broker";
}
