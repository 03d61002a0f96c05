using IntegrationHub.Platform;

namespace IntegrationHub.Benchmarks;

/// <summary>
/// The hub and worker processes of one phase. Each is started with its own store under the run's
/// directory and counted as running once it consumes its queue; all are stopped when the phase ends,
/// also when its watchdog gave up on it.
/// </summary>
public sealed class Processes(string directory, bool onPostgres = false) : IAsyncDisposable
{
    // A phase that restarts the hub on "the same store" gets the same database again; all are dropped at the end of the run.
    private static readonly Dictionary<string, PostgresDatabase> Databases = [];

    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(90);
    private readonly List<ChildProcess> _running = [];
    private readonly List<string> _consumedQueues = [];

    public async Task<ChildProcess> StartHub(string databasePath, params string[] settings)
    {
        var hub = Hub(databasePath, "hub.log", settings);
        await WaitUntilConsuming(hub, BrokerNames.HubInboundQueue, "the hub");
        return hub;
    }

    /// <summary>
    /// Several hub processes on one store (PostgreSQL), each with its own log; the first gets <paramref name="firstSettings"/>.
    /// Ready once every hub's last rebalancing line says that all of them run and their partitions together are
    /// all 16, each taken once. The broker counts only the first hub on hub.inbound (single active consumer),
    /// so the hubs' own line is the signal (the hubs log warnings only, this line excepted).
    /// </summary>
    public async Task<List<ChildProcess>> StartHubs(string databasePath, int count, params string[] firstSettings)
    {
        // Hub:Partitioned (the default) is what lets several hubs share the work; set here so that the comparison does not hang on the default.
        string[] rebalancing = ["--Hub:Partitioned=true", "--Logging:LogLevel:IntegrationHub.Hub.Scaling.HubPartitions=Information"];
        var hubs = new List<ChildProcess> { Hub(databasePath, "hub-1.log", [.. firstSettings, .. rebalancing]) };
        await WaitUntilConsuming(hubs[0], BrokerNames.HubInboundQueue, "the first hub");
        for (var i = 2; i <= count; i++)
        {
            hubs.Add(Hub(databasePath, $"hub-{i}.log", rebalancing));
        }

        var deadline = DateTime.UtcNow + StartLimit;
        while (true)
        {
            var lines = hubs.Select(LastRebalancing).ToList();
            var partitions = lines.SelectMany(l => l?.Partitions ?? []).ToList();
            if (lines.All(l => l?.Hubs == count) && partitions.Count == BrokerNames.HubPartitionCount && partitions.Distinct().Count() == partitions.Count)
            {
                return hubs;
            }

            if (hubs.FirstOrDefault(h => h.HasExited) is { } exited)
            {
                throw new BenchmarkFailure($"a hub exited before the {count} hubs shared the partitions; its log ({exited.LogPath}) ends:{Environment.NewLine}{exited.LogTail()}");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new BenchmarkFailure($"{count} hubs did not share the {BrokerNames.HubPartitionCount} partitions within {StartLimit.TotalSeconds:0} s; their logs: {string.Join(", ", hubs.Select(h => h.LogPath))}");
            }

            await Task.Delay(200);
        }
    }

    private static (int Hubs, int[] Partitions)? LastRebalancing(ChildProcess hub)
    {
        var last = File.Exists(hub.LogPath) ? File.ReadLines(hub.LogPath).Select(l => Rebalanced.Match(l)).LastOrDefault(m => m.Success) : null;
        return last is null
            ? null
            : (int.Parse(last.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
                last.Groups[2].Value.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(p => int.Parse(p, System.Globalization.CultureInfo.InvariantCulture)).ToArray());
    }

    private static readonly System.Text.RegularExpressions.Regex Rebalanced = new(@"(\d+) hubs running; this hub consumes partitions ([\d,]*)");

    /// <summary>The PostgreSQL database the hubs on this store use (null on SQLite).</summary>
    public PostgresDatabase? PostgresStore(string databasePath) => onPostgres ? Database(databasePath) : null;

    private ChildProcess Hub(string databasePath, string log, string[] settings)
    {
        var hub = onPostgres
            ? ChildProcess.Start(Path.Combine(directory, log), ["hub", "--Hub:Store=postgres", "--Hub:PostgresConnection=" + Database(databasePath).ConnectionString, .. settings])
            : ChildProcess.Start(Path.Combine(directory, log), ["hub", "--Hub:DatabasePath=" + databasePath, .. settings]);
        _running.Add(hub);
        return hub;
    }

    /// <summary>Drops the PostgreSQL databases the run's hubs used.</summary>
    public static void DropDatabases()
    {
        lock (Databases)
        {
            foreach (var database in Databases.Values)
            {
                database.Dispose();
            }

            Databases.Clear();
        }
    }

    private static PostgresDatabase Database(string databasePath)
    {
        lock (Databases)
        {
            if (!Databases.TryGetValue(databasePath, out var database))
            {
                database = PostgresDatabase.Create("ih_bench");
                Databases[databasePath] = database;
            }

            return database;
        }
    }

    public async Task StartWorkers(IEnumerable<string> companies)
    {
        var started = companies.Select(company =>
        {
            var name = company.ToLowerInvariant();
            var worker = ChildProcess.Start(Path.Combine(directory, $"worker-{name}.log"), "worker", company, $"--Worker:DatabasePath={Path.Combine(directory, name + ".db")}");
            _running.Add(worker);
            return (company, worker);
        }).ToList();
        foreach (var (company, worker) in started)
        {
            await WaitUntilConsuming(worker, BrokerNames.CompanyQueue(company), "the worker of " + company);
        }
    }

    private async Task WaitUntilConsuming(ChildProcess process, string queue, string what)
    {
        _consumedQueues.Add(queue);
        await using var connection = await Broker.Factory("hub").CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var deadline = DateTime.UtcNow + StartLimit;
        while ((await Broker.Depth(channel, queue)).Consumers == 0)
        {
            if (process.HasExited)
            {
                throw new BenchmarkFailure($"{what} exited before it consumed {queue}; its log ({process.LogPath}) ends:{Environment.NewLine}{process.LogTail()}");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new BenchmarkFailure($"{what} did not consume {queue} within {StartLimit.TotalSeconds:0} s; its log: {process.LogPath}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Stops every process of the phase and waits until none of their queues has a consumer any more.</summary>
    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_running.Select(p => p.DisposeAsync().AsTask()));
        _running.Clear();
        await using var connection = await Broker.Factory("hub").CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        foreach (var queue in _consumedQueues)
        {
            await Broker.WaitForNoConsumer(channel, queue, TimeSpan.FromSeconds(10));
        }

        _consumedQueues.Clear();
    }
}
