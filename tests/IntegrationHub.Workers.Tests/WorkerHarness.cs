using IntegrationHub.Contracts;
using IntegrationHub.Platform;
using IntegrationHub.Workers;
using MassTransit;
using MassTransit.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace IntegrationHub.Workers.Tests;

/// <summary>One company worker on MassTransit's test harness with a real SQLite store of its own.</summary>
public sealed class WorkerHarness : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private readonly string _directory;

    private WorkerHarness(ServiceProvider provider, CompanyWorker worker, string directory)
    {
        _provider = provider;
        Worker = worker;
        _directory = directory;
        Bus = provider.GetRequiredService<ITestHarness>();
    }

    public CompanyWorker Worker { get; }

    public ITestHarness Bus { get; }

    public static async Task<WorkerHarness> Start(string company, IReadOnlyDictionary<DataCategory, string>? retention = null, ILoggerProvider? logs = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "ih-worker-tests-" + Guid.NewGuid().ToString("N"));
        var worker = new CompanyWorker(new WorkerOptions
        {
            Company = company,
            DatabasePath = Path.Combine(directory, company.ToLowerInvariant() + ".db"),
            Retention = new Dictionary<DataCategory, string>(retention ?? new Dictionary<DataCategory, string>()),
        });
        worker.PrepareStore();
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(logs is null ? NullLoggerFactory.Instance : LoggerFactory.Create(l => l.AddProvider(logs).SetMinimumLevel(LogLevel.Debug)));
        services.AddLogging();
        services.AddMassTransitTestHarness(bus => bus.UsingInMemory((context, memory) =>
        {
            memory.UsePlainJson();
            worker.ConfigureEndpoint(memory, context);
        }));
        var provider = services.BuildServiceProvider();
        var harness = new WorkerHarness(provider, worker, directory);
        await harness.Bus.Start();
        return harness;
    }

    public async Task Send<T>(T command) where T : class =>
        await (await Bus.Bus.GetSendEndpoint(BrokerNames.CompanyAddress(Worker.CompanyId))).Send(command);

    /// <summary>The answers published for a command, waiting until <paramref name="count"/> have appeared.</summary>
    public async Task<List<T>> Answers<T>(Guid commandId, int count) where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        List<T> found;
        do
        {
            found = Bus.Published.Select<T>().Select(p => p.Context.Message)
                .Where(m => (Guid)typeof(T).GetProperty("CommandId")!.GetValue(m)! == commandId).ToList();
            if (found.Count >= count)
            {
                break;
            }

            await Task.Delay(20);
        }
        while (DateTime.UtcNow < deadline);

        return found;
    }

    public async Task<List<HeldRecord>> Records(Guid customerId)
    {
        await using var store = Worker.OpenStore();
        return await store.Records.AsNoTracking().Where(r => r.CustomerId == customerId).OrderBy(r => r.Id).ToListAsync();
    }

    public Task Deliver(Guid customerId, CaptureContext context, Purpose purpose, params DataCategory[] categories) =>
        Deliver(Delivery(customerId, context, purpose, categories));

    /// <summary>A delivery from PD with one field per category, "&lt;category&gt; value" unless <paramref name="value"/> is given.</summary>
    public DeliverCustomerData Delivery(Guid customerId, CaptureContext context, Purpose purpose, DataCategory[] categories, string? dealerId = null, string? value = null) => new()
    {
        DeliveryId = Guid.NewGuid(), CaptureId = Guid.NewGuid(), CustomerId = customerId, Recipient = Worker.CompanyId, SourceCompany = "PD",
        DealerId = dealerId, Context = context, ContractKind = context == CaptureContext.VehicleContract ? ContractKind.Financing : null,
        Purpose = purpose, CapturedAt = DateTimeOffset.UtcNow, PolicyVersion = "test",
        Data = new CategoryData(categories.Select(c => KeyValuePair.Create(c, new Dictionary<string, string> { ["field"] = value ?? c + " value" }))),
    };

    /// <summary>Sends the delivery and waits until its records are stored.</summary>
    public async Task Deliver(DeliverCustomerData delivery)
    {
        var before = (await Records(delivery.CustomerId)).Count;
        await Send(delivery);
        await Until(async () => (await Records(delivery.CustomerId)).Count >= before + delivery.Data.Count, "delivery stored");
    }

    /// <summary>Polls until the condition holds; fails the test after 20 s, naming what did not happen.</summary>
    public static async Task Until(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not within 20 s: {what}");
            await Task.Delay(20);
        }
    }

    /// <summary>The deliveries refused so far, waiting until <paramref name="count"/> have been counted.</summary>
    public async Task<List<RefusedDelivery>> Refusals(int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            await using var store = Worker.OpenStore();
            var refused = await store.RefusedDeliveries.AsNoTracking().OrderBy(r => r.Id).ToListAsync();
            if (refused.Count >= count || DateTime.UtcNow > deadline)
            {
                return refused;
            }

            await Task.Delay(20);
        }
    }

    /// <summary>The store's files (the database and its WAL) whose bytes contain the text, as UTF-8.</summary>
    public List<string> FilesHolding(string text)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        return new[] { Worker.DatabasePath, Worker.DatabasePath + "-wal", Worker.DatabasePath + "-journal" }
            .Where(path => File.Exists(path) && File.ReadAllBytes(path).AsSpan().IndexOf(bytes) >= 0).Select(Path.GetFileName).ToList()!;
    }

    /// <summary>How many cells of the store's tables contain the text (ignoring case: SQLite keeps ids in capitals): what the store holds, as SQL sees it.</summary>
    public async Task<int> CellsHolding(string text)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(SqliteStore.ConnectionString(Worker.DatabasePath));
        await connection.OpenAsync();
        var tables = new List<string>();
        var cells = 0;
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        foreach (var table in tables)
        {
            await using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\"";
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var column = 0; column < reader.FieldCount; column++)
                {
                    if (!reader.IsDBNull(column) && reader.GetValue(column) is string cell && cell.Contains(text, StringComparison.OrdinalIgnoreCase))
                    {
                        cells++;
                    }
                }
            }
        }

        return cells;
    }

    public async ValueTask DisposeAsync()
    {
        await Bus.Stop();
        await _provider.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
