using IntegrationHub.Workers;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.IntegrationTests;

/// <summary>
/// The five company workers and two dealer-operator workers, each its own process with its own
/// broker login and its own SQLite store, as they would run in production.
/// </summary>
public sealed class WorkerProcesses : IAsyncLifetime
{
    public static readonly (string Company, string Assembly)[] Workers =
    [
        ("PAG", "IntegrationHub.Worker.Pag"), ("PD", "IntegrationHub.Worker.Pd"), ("PFS", "IntegrationHub.Worker.Pfs"),
        ("PFSKG", "IntegrationHub.Worker.Pfskg"), ("PSM", "IntegrationHub.Worker.Psm"),
        ("OP-NORD", "IntegrationHub.Worker.DealerOperator"), ("OP-SUED", "IntegrationHub.Worker.DealerOperator"),
    ];

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "ih-workers-" + Guid.NewGuid().ToString("N"));
    private readonly List<WorkerProcess> _processes = [];

    public string StorePath(string company) => Path.Combine(_directory, company.ToLowerInvariant() + ".db");

    public CompanyStore Store(string company) => CompanyStore.Open(StorePath(company));

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        await using (var connection = await Broker.Connect("hub"))
        await using (var channel = await connection.CreateChannelAsync())
        {
            foreach (var (company, _) in Workers)
            {
                await channel.QueuePurgeAsync("company." + company.ToLowerInvariant());
            }
        }

        foreach (var (company, assembly) in Workers)
        {
            _processes.Add(WorkerProcess.Start(company, assembly, StorePath(company)));
        }

        var deadline = DateTime.UtcNow.AddSeconds(60);
        foreach (var worker in _processes)
        {
            await worker.UntilConsuming(deadline);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var worker in _processes)
        {
            await worker.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>The company's store files (the database and its WAL) whose bytes hold any of the values, as UTF-8: what is on disk, not what SQL shows.</summary>
    public List<string> FilesHolding(string company, IEnumerable<string> values)
    {
        var patterns = values.Select(System.Text.Encoding.UTF8.GetBytes).ToList();
        var path = StorePath(company);
        return new[] { path, path + "-wal" }
            .Where(p => File.Exists(p) && File.ReadAllBytes(p) is var bytes && patterns.Any(v => bytes.AsSpan().IndexOf(v) >= 0)).ToList();
    }

    /// <summary>Per customer, the categories the company's store holds.</summary>
    public async Task<Dictionary<Guid, string[]>> Holdings(string company)
    {
        await using var store = Store(company);
        var records = await store.Records.AsNoTracking().ToListAsync();
        return records.GroupBy(r => r.CustomerId)
            .ToDictionary(g => g.Key, g => g.Select(r => r.Category.ToString()).Distinct().Order().ToArray());
    }
}
