namespace IntegrationHub.IntegrationTests;

/// <summary>PAG's worker alone, on an empty queue and an empty error queue, for the tests of how a worker meets the wire.</summary>
public sealed class PagWorker : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "ih-pag-" + Guid.NewGuid().ToString("N"));

    public WorkerProcess Worker { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        await using (var connection = await Broker.Connect("hub"))
        await using (var channel = await connection.CreateChannelAsync())
        {
            await channel.QueuePurgeAsync("company.pag");
            await channel.QueuePurgeAsync("company.pag_error");
        }

        Worker = WorkerProcess.Start("PAG", "IntegrationHub.Worker.Pag", Path.Combine(_directory, "pag.db"));
        await Worker.UntilConsuming(DateTime.UtcNow.AddSeconds(60));
    }

    public async Task DisposeAsync()
    {
        await Worker.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
