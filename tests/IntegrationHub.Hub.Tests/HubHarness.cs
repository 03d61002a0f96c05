using IntegrationHub.Hub.Customers;
using IntegrationHub.Hub.Deadlines;
using IntegrationHub.Hub.Requests;
using IntegrationHub.Hub.Takeovers;
using IntegrationHub.Hub.UnitOfWork;
using IntegrationHub.Hub.Persistence;
using IntegrationHub.Hub.Sagas;
using IntegrationHub.Platform;
using MassTransit;
using MassTransit.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationHub.Hub.Tests;

/// <summary>
/// The hub on MassTransit's test harness (in-memory transport) with the real saga repository,
/// registered inside the harness, a real store (a SQLite file, or a PostgreSQL database of its own:
/// <see cref="TestStore"/>) and fake time. Each test states only what differs.
/// </summary>
public sealed class HubHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 29, 9, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _provider;
    private readonly bool _ownsDirectory;
    private readonly IntegrationHub.Benchmarks.PostgresDatabase? _ownedDatabase;

    private HubHarness(ServiceProvider provider, string databasePath, FakeTimeProvider clock, bool ownsDirectory, TestStore store, string? postgresConnection,
        IntegrationHub.Benchmarks.PostgresDatabase? ownedDatabase)
    {
        _provider = provider;
        DatabasePath = databasePath;
        Clock = clock;
        _ownsDirectory = ownsDirectory;
        Store = store;
        PostgresConnection = postgresConnection;
        _ownedDatabase = ownedDatabase;
        Bus = provider.GetRequiredService<ITestHarness>();
    }

    public ITestHarness Bus { get; }

    public FakeTimeProvider Clock { get; }

    public string DatabasePath { get; }

    /// <summary>The engine of the hub's store.</summary>
    public TestStore Store { get; }

    /// <summary>The store's PostgreSQL database (when <see cref="Store"/> is PostgreSQL).</summary>
    public string? PostgresConnection { get; }

    public IServiceProvider Services => _provider;

    public OutboxDispatcher Dispatcher => _provider.GetRequiredService<OutboxDispatcher>();

    /// <summary>Another hub (bus, services, writer, dispatcher) on this one's store and clock, as a second hub process would be.</summary>
    public Task<HubHarness> StartBeside() => StartNew(DatabasePath, Clock, store: Store, postgresConnection: PostgresConnection);

    /// <param name="store">SQLite (a file at <paramref name="databasePath"/>) or PostgreSQL: the database
    /// <paramref name="postgresConnection"/>, or a new one of the harness's own, dropped when it is disposed.</param>
    public static async Task<HubHarness> StartNew(string? databasePath = null, FakeTimeProvider? clock = null, Action<HubOptions>? configure = null,
        TestStore store = TestStore.Sqlite, string? postgresConnection = null)
    {
        var ownsDirectory = databasePath is null;
        var ownedDatabase = store == TestStore.Postgres && postgresConnection is null ? IntegrationHub.Benchmarks.PostgresDatabase.Create() : null;
        postgresConnection ??= ownedDatabase?.ConnectionString;
        databasePath ??= Path.Combine(Path.GetTempPath(), "ih-hub-tests-" + Guid.NewGuid().ToString("N"), "hub.db");
        clock ??= new FakeTimeProvider(Start);
        var services = new ServiceCollection();
        // MassTransit keeps its log context in a static; a logger factory that is never disposed keeps
        // one harness's disposal from breaking another's bus. HUB_TEST_LOG=1 shows the hub's log when a test fails.
        if (Environment.GetEnvironmentVariable("HUB_TEST_LOG") is null)
        {
            services.AddSingleton<Microsoft.Extensions.Logging.ILoggerFactory>(Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
            services.AddLogging();
        }
        else
        {
            services.AddLogging(logging => IntegrationHub.Platform.Operations.OneLineConsoleLogging.AddOneLineConsole(logging));
        }
        services.AddSingleton<TimeProvider>(clock);
        var options = new HubOptions
        {
            PolicyPath = Path.Combine(AppContext.BaseDirectory, "policy", "routing-policy.json"),
            PartiesPath = Path.Combine(AppContext.BaseDirectory, "policy", "parties.json"),
            DatabasePath = databasePath,
            Store = store == TestStore.Postgres ? StoreEngine.Postgres : StoreEngine.Sqlite,
            PostgresConnection = postgresConnection,
            DeadlineSweepInterval = TimeSpan.FromMinutes(1),
        };
        configure?.Invoke(options);
        services.AddHubCore(options);
        services.AddMassTransitTestHarness(bus =>
        {
            bus.AddHubSagas();
            bus.UsingInMemory((context, memory) =>
            {
                memory.UsePlainJson();
                memory.ConfigureEndpoints(context);
            });
        });
        services.Configure<TestHarnessOptions>(options =>
        {
            options.TestTimeout = TimeSpan.FromSeconds(20);
            options.TestInactivityTimeout = TimeSpan.FromSeconds(2);
        });

        var provider = services.BuildServiceProvider(validateScopes: true);
        using (var scope = provider.CreateScope())
        {
            provider.GetRequiredService<StoreEngine>().Prepare(scope.ServiceProvider.GetRequiredService<HubDbContext>());
        }

        var harness = new HubHarness(provider, databasePath, clock, ownsDirectory, store, postgresConnection, ownedDatabase);
        await harness.Bus.Start();
        await harness.Dispatcher.StartAsync(CancellationToken.None);
        await provider.GetRequiredService<DeadlineSweeper>().StartAsync(CancellationToken.None);
        return harness;
    }

    public Task Publish<T>(T message) where T : class => Bus.Bus.Publish(message);

    /// <summary>
    /// Moves fake time on and sweeps at once, without waiting for the hosted sweeper's own timer
    /// (which may not have been armed yet right after a start); returns once every reminder the sweep
    /// sent has been handled by the hub, the positive signal that whatever was due has had its effect.
    /// </summary>
    public async Task Advance(TimeSpan by)
    {
        Clock.Advance(by);
        var reminders = await _provider.GetRequiredService<DeadlineSweeper>().SweepOnce(CancellationToken.None);
        var keys = reminders.Select(r => MessageKeys.NameBased($"{r.Type}:{r.Id:N}:{Guid.Empty:N}")).ToList();
        await Eventually(async () => await Query(db => db.Inbox.CountAsync(m => keys.Contains(m.MessageId))) == keys.Count
            && await Query(db => db.Outbox.AnyAsync(o => o.ParkedAt == null)) is false, $"{keys.Count} reminders handled");
    }

    /// <summary>The customer's saga as stored, or null when there is none (never created, or erased).</summary>
    public Task<CustomerState?> Customer(Guid customerId) => Saga<CustomerState>(customerId);

    /// <summary>The request's saga as stored, or null when there is none.</summary>
    public Task<RequestState?> Request(Guid requestId) => Saga<RequestState>(requestId);

    public Task<TakeoverState?> Takeover(Guid takeoverId) => Saga<TakeoverState>(takeoverId);

    /// <summary>The request's status, as <c>hub status</c> shows it.</summary>
    public async Task<RequestStatus?> Status(Guid requestId)
    {
        await using var scope = _provider.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RequestDesk>().Status(requestId);
    }

    private async Task<TSaga?> Saga<TSaga>(Guid id)
        where TSaga : class
    {
        await using var scope = _provider.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RequestDesk>().Saga<TSaga>(id);
    }

    public async Task<T> Query<T>(Func<HubDbContext, Task<T>> query)
    {
        await using var scope = _provider.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<HubDbContext>());
    }

    /// <summary>Waits (in real time) until the condition holds on the customer's saga and the hub's outbox is empty.</summary>
    public Task Settled(Func<CustomerState?, bool> condition, Guid customerId, string what) =>
        Eventually(async () => condition(await Customer(customerId)) && await Query(db => db.Outbox.AnyAsync(o => o.ParkedAt == null)) is false, what);

    /// <summary>Waits (in real time) until the condition holds on the request's saga and the hub's outbox is empty.</summary>
    public Task RequestSettled(Func<RequestState?, bool> condition, Guid requestId, string what) =>
        Eventually(async () => condition(await Request(requestId)) && await Query(db => db.Outbox.AnyAsync(o => o.ParkedAt == null)) is false, what);

    public static async Task Eventually(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"not within 20 s: {what}");
    }

    /// <summary>Every message of type T the hub sent (through its outbox), as seen by the harness.</summary>
    public Task<List<T>> Sent<T>(Func<T, bool> filter, int expected) where T : class =>
        AtLeast(() => SentSoFar(filter), expected);

    /// <summary>What has been sent so far, without waiting: for "nothing was sent" after <see cref="Settled"/>.</summary>
    public List<T> SentSoFar<T>(Func<T, bool> filter) where T : class =>
        Bus.Sent.Select<T>().Select(s => s.Context.Message).Where(filter).ToList();

    public Task<List<T>> Published<T>(Func<T, bool> filter, int expected) where T : class =>
        AtLeast(() => Bus.Published.Select<T>().Select(s => s.Context.Message).Where(filter).ToList(), expected);

    private static async Task<List<T>> AtLeast<T>(Func<List<T>> look, int expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        var found = look();
        while (found.Count < expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
            found = look();
        }

        return found;
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.GetRequiredService<DeadlineSweeper>().StopAsync(CancellationToken.None);
        await _provider.GetRequiredService<OutboxDispatcher>().StopAsync(CancellationToken.None);
        await Bus.Stop();
        await _provider.DisposeAsync();
        _ownedDatabase?.Dispose();
        if (_ownsDirectory && Directory.Exists(Path.GetDirectoryName(DatabasePath)))
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(Path.GetDirectoryName(DatabasePath)!, recursive: true);
        }
    }
}
