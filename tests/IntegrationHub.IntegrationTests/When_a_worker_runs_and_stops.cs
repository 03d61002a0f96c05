using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace IntegrationHub.IntegrationTests;

/// <summary>Issue 12, finding 8: operations tell the workers' connections apart, and a worker stops in bounded time.</summary>
[Collection(HubCollection.Name)]
public sealed class When_a_worker_runs_and_stops : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "ih-stop-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Should_name_its_connections_after_company_and_process_and_stop_within_fifteen_seconds_of_sigterm_while_the_broker_answers_nothing()
    {
        Directory.CreateDirectory(_directory);
        using var broker = new FrozenBroker();
        await using var worker = WorkerProcess.Start("PAG", "IntegrationHub.Worker.Pag", Path.Combine(_directory, "pag.db"), broker.Url);
        await worker.UntilConsuming(DateTime.UtcNow.AddSeconds(60));

        using var management = Broker.Management();
        var names = await Eventually.Until(async () => (await management.GetFromJsonAsync<List<JsonElement>>("connections"))!
                .Where(c => c.GetProperty("user").GetString() == "pag")
                .Select(c => c.GetProperty("client_properties").TryGetProperty("connection_name", out var name) ? name.GetString() : null).ToList(),
            n => n.Count >= 2, "PAG's worker connections listed by the management API");
        Assert.All(names, name => Assert.StartsWith("worker-pag", name));

        broker.Freeze();
        var stopwatch = Stopwatch.StartNew();
        using (var kill = Process.Start("kill", ["-TERM", worker.Process.Id.ToString()]))
        {
            await kill.WaitForExitAsync();
            Assert.Equal(0, kill.ExitCode);
        }

        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await worker.Process.WaitForExitAsync(patience.Token);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(15), $"stopped after {stopwatch.Elapsed}");
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
