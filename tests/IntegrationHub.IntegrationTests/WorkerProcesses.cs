using System.Diagnostics;
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
    private readonly List<Process> _processes = [];

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
            var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, assembly + ".dll"));
            start.ArgumentList.Add($"--Worker:Company={company}");
            start.ArgumentList.Add($"--Worker:DatabasePath={StorePath(company)}");
            start.ArgumentList.Add("--Logging:LogLevel:Default=Warning");
            var process = Process.Start(start)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            _processes.Add(process);
        }

        // Ready when every company queue has its worker consuming.
        await using var hub = await Broker.Connect("hub");
        await using var probe = await hub.CreateChannelAsync();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        foreach (var (company, _) in Workers)
        {
            while ((await probe.QueueDeclarePassiveAsync("company." + company.ToLowerInvariant())).ConsumerCount == 0)
            {
                if (DateTime.UtcNow > deadline || _processes.Any(p => p.HasExited))
                {
                    throw new InvalidOperationException($"the {company} worker did not start consuming within 60 s");
                }

                await Task.Delay(100);
            }
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var process in _processes.Where(p => !p.HasExited))
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
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
