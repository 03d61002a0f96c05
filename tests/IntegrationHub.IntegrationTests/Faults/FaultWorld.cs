using System.Collections.Concurrent;
using System.Diagnostics;
using IntegrationHub.Hub.Persistence;
using IntegrationHub.Platform;
using Microsoft.EntityFrameworkCore;
using RabbitMQ.Client;

namespace IntegrationHub.IntegrationTests.Faults;

/// <summary>
/// The hub and the workers of the companies a workshop capture reaches, each a real process on the
/// suite's own broker, a stream of captures published by PD with publisher confirms, and the check
/// every fault case ends with: every confirmed capture took effect exactly once, every erasure
/// fan-out completed.
/// </summary>
public sealed partial class FaultWorld : IAsyncDisposable
{
    /// <summary>A workshop visit at Porsche Zentrum Hamburg with the vehicle history goes to PAG and to the Zentrum's operator, OP-NORD (DOMAIN.md, section 3).</summary>
    public static readonly string[] Holders = ["OP-NORD", "PAG"];

    private static readonly string[] Bystanders = ["pd", "pfs", "pfskg", "psm", "op-sued"];

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "ih-faults-" + Guid.NewGuid().ToString("N"));
    private readonly ConcurrentQueue<string> _hubOutput = new();
    private readonly Dictionary<string, WorkerProcess> _workers = [];
    private readonly List<WorkerProcess> _stopped = [];
    private readonly List<Process> _hubs = [];
    private readonly List<Process> _killedHubs = [];
    private readonly string[] _hubSettings;
    private readonly IntegrationHub.Benchmarks.PostgresDatabase? _postgres;
    private readonly List<(Guid Request, Guid Notice)> _notices = [];

    private FaultWorld(TestBroker broker, bool onPostgres)
    {
        Broker = broker;
        Pd = new PdPublisher(broker);
        _hubSettings = [];
        if (onPostgres)
        {
            _postgres = IntegrationHub.Benchmarks.PostgresDatabase.Create("ih_faults");
            _hubSettings = ["--Hub:Store=postgres", "--Hub:PostgresConnection=" + _postgres.ConnectionString];
        }
    }

    public TestBroker Broker { get; }

    /// <summary>PD, the company system that publishes the stream and the erasure requests.</summary>
    public PdPublisher Pd { get; }

    public string HubDatabase => Path.Combine(_directory, "hub.db");

    /// <summary>The hub process started last.</summary>
    public int HubProcessId => _hubs[^1].Id;

    /// <summary>The hub processes running.</summary>
    public IReadOnlyList<Process> Hubs => _hubs;

    /// <summary>Every line the hubs wrote so far.</summary>
    public IReadOnlyCollection<string> HubOutput => _hubOutput;

    public int WorkerProcessId(string company) => _workers[company].Process.Id;

    /// <param name="hubs">How many hub processes; more than one share the partition queues on one store.</param>
    /// <param name="onPostgres">The hubs' store on a PostgreSQL database of the world's own (POSTGRES_URL) instead of a SQLite file.</param>
    public static async Task<FaultWorld> Start(TestBroker broker, bool workers = true, int hubs = 1, bool onPostgres = false)
    {
        var world = new FaultWorld(broker, onPostgres);
        Directory.CreateDirectory(world._directory);
        string[] companies = [.. Holders.Select(h => h.ToLowerInvariant()), .. Bystanders];
        await broker.Purge(["hub.inbound", "hub.inbound_error", "hub.inbound_skipped", "dead-letter",
            .. Enumerable.Range(0, BrokerNames.HubPartitionCount).Select(BrokerNames.HubPartitionQueue),
            .. companies.SelectMany(c => new[] { "company." + c, $"company.{c}_error", $"company.{c}_skipped" })]);
        for (var i = 0; i < hubs; i++)
        {
            await world.StartHub();
        }

        if (workers)
        {
            await Task.WhenAll(Holders.Select(world.StartWorker));
        }

        return world;
    }

    public async Task StartHub()
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "hub.dll"));
        foreach (var argument in new[]
                 {
                     "serve", $"--Hub:DatabasePath={HubDatabase}",
                     $"--Hub:PolicyPath={Path.Combine(AppContext.BaseDirectory, "policy", "routing-policy.json")}",
                     $"--Hub:PartiesPath={Path.Combine(AppContext.BaseDirectory, "policy", "parties.json")}",
                     // A send that failed while the broker was away is tried again after a second, not five.
                     "--Hub:OutboxFirstRetryDelay=00:00:01",
                     "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:IntegrationHub=Information",
                 }.Concat(_hubSettings))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["RABBITMQ_URL"] = Broker.Url;
        var consumersBefore = await Consumers("hub.inbound");
        var hub = Process.Start(start)!;
        var sequencing = false;
        hub.OutputDataReceived += (_, line) =>
        {
            _hubOutput.Enqueue(line.Data ?? "");
            sequencing |= line.Data?.Contains("Sequencer consuming hub.inbound", StringComparison.Ordinal) == true;
        };
        hub.ErrorDataReceived += (_, line) => _hubOutput.Enqueue(line.Data ?? "");
        hub.BeginOutputReadLine();
        hub.BeginErrorReadLine();
        _hubs.Add(hub);

        // Its consumer of hub.inbound is there: the broker counts the single active one only, so a
        // standby of several hubs is known by its log line.
        try
        {
            await Eventually.Until(async () => hub.HasExited || Volatile.Read(ref sequencing) || await Consumers("hub.inbound") > consumersBefore,
                "the hub consuming hub.inbound", 60);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}: {string.Join(" | ", _hubOutput.TakeLast(8))}", ex);
        }

        Assert.False(hub.HasExited, $"the hub exited with {(hub.HasExited ? hub.ExitCode : 0)}: {string.Join(" | ", _hubOutput.TakeLast(5))}");
    }

    /// <summary>SIGKILL: no shutdown, no acknowledgement, nothing flushed.</summary>
    /// <param name="which">Which running hub, in the order they were started; the last one if not given.</param>
    public async Task KillHub(int? which = null)
    {
        var hub = _hubs[which ?? _hubs.Count - 1];
        _hubs.Remove(hub);
        _killedHubs.Add(hub);
        hub.Kill(entireProcessTree: true);
        await hub.WaitForExitAsync();
        Assert.Equal(137, hub.ExitCode);
    }

    public async Task StartWorker(string company)
    {
        var assembly = company.StartsWith("OP-") ? "IntegrationHub.Worker.DealerOperator" : "IntegrationHub.Worker." + company[0] + company[1..].ToLowerInvariant();
        var worker = WorkerProcess.Start(company, assembly, Path.Combine(_directory, company.ToLowerInvariant() + ".db"), Broker.Url, logLevel: "Information");
        _workers[company] = worker;
        await worker.UntilConsuming(DateTime.UtcNow.AddSeconds(60), Broker.Connect);
    }

    public Task StartWorkers() => Task.WhenAll(Holders.Select(StartWorker));

    public async Task StopWorkers()
    {
        foreach (var holder in Holders)
        {
            await KillWorker(holder);
        }
    }

    public async Task KillWorker(string company)
    {
        var worker = _workers[company];
        worker.Process.Kill(entireProcessTree: true);
        await worker.Process.WaitForExitAsync();
        _stopped.Add(worker);
    }

    public CompanyStoreReader Store(string company) => new(Path.Combine(_directory, company.ToLowerInvariant() + ".db"));

    public HubDbContext HubStore()
    {
        var options = new DbContextOptionsBuilder<HubDbContext>();
        if (_postgres is null)
        {
            options.UseSqliteStore(HubDatabase);
        }
        else
        {
            StoreEngine.For(StoreEngine.Postgres, HubDatabase, _postgres.ConnectionString, "Hub").Use(options);
        }

        return new HubDbContext(options.Options);
    }

    public async Task<uint> Consumers(string queue)
    {
        await using var connection = await Broker.Connect("hub");
        await using var channel = await connection.CreateChannelAsync();
        return (await channel.QueueDeclarePassiveAsync(queue)).ConsumerCount;
    }

    /// <summary>
    /// The shape of the mid-stream cases: streams captures, brings about the fault once the stream has
    /// reached the given point, lets the stream run to its end and makes the end check.
    /// </summary>
    public async Task StreamThrough(int captures, Func<Task> reached, Func<Task> fault)
    {
        var stream = Pd.Stream(captures);
        await reached();
        await fault();
        await stream.WaitAsync(TimeSpan.FromSeconds(120));
        await AssertEveryConfirmedCaptureTookEffectExactlyOnce();
    }

    /// <summary>
    /// Takes every message out of each holder's queue and puts it back twice, unchanged (properties,
    /// user_id, body), as a broker or a network that delivers twice would.
    /// </summary>
    public async Task DeliverEverythingTwice()
    {
        await using var connection = await Broker.Connect("hub");
        await using var channel = await IntegrationTests.Broker.Channel(connection);
        foreach (var queue in Holders.Select(h => "company." + h.ToLowerInvariant()))
        {
            for (var waiting = await IntegrationTests.Broker.Count(channel, queue); waiting > 0; waiting--)
            {
                var message = await channel.BasicGetAsync(queue, autoAck: false) ?? throw new InvalidOperationException($"{queue} emptied by someone else");
                for (var copy = 0; copy < 2; copy++)
                {
                    await channel.BasicPublishAsync(message.Exchange, message.RoutingKey, mandatory: true, new BasicProperties(message.BasicProperties), message.Body);
                }

                await channel.BasicAckAsync(message.DeliveryTag, multiple: false);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var hub in _hubs.Where(h => !h.HasExited))
        {
            hub.Kill(entireProcessTree: true);
            await hub.WaitForExitAsync();
        }

        foreach (var worker in _workers.Values.Concat(_stopped).Distinct())
        {
            await worker.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _postgres?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
