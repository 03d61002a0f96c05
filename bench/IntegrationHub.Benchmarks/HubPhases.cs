using System.Diagnostics;
using IntegrationHub.Contracts;
using IntegrationHub.Platform;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace IntegrationHub.Benchmarks;

/// <summary>The sizes of one run: <c>--quick</c> or the full run.</summary>
public sealed record BenchSizes(
    bool Quick,
    int BaselineMessages,
    TimeSpan WarmUp,
    int MeasuredCaptures,
    int[] RateSteps,
    TimeSpan StepWarmUp,
    TimeSpan StepMeasure,
    TimeSpan StepDrainLimit,
    int LargeStore,
    int Erasures)
{
    public const int OpenLoopRate = 500;

    public static BenchSizes For(bool quick) => quick
        ? new(true, 2_000, TimeSpan.FromSeconds(10), 600, [10, 25, 50, 100, 200], TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15), 1_000_000, 200)
        : new(false, 20_000, TimeSpan.FromSeconds(30), 3_000, [10, 25, 50, 100, 200, 300, 500, 800, 1_200, 1_600, 2_000, 3_000], TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(20),
            TimeSpan.FromSeconds(60), 1_000_000, 10_000);
}

/// <summary>One offered rate of the open-loop phase.</summary>
/// <param name="Stages">Where the time went inside the hub over the measured window (its /metrics), empty when it could not be read.</param>
/// <param name="Cpu">How busy the machine's cores were from the start of the measured window to the end of the wait for its captures, and by whom.</param>
/// <param name="SlowestWindows">In how many distinct 100-ms windows of the offer the slowest 1 % of the measured captures were published.</param>
public sealed record RateStep(int Rate, int Offered, int Measured, int Arrived, Percentile P50, Percentile P95, Percentile P99,
    List<HubStages.Stage> Stages, int SlowestWindows, CpuShares? Cpu)
{
    /// <summary>p99 under 50 ms, with every measured capture arrived.</summary>
    public bool Met => Arrived == Measured && P99 is { LowerBound: false, Ms: < 50 };
}

/// <summary>A latency percentile; a lower bound when the captures at that rank had not arrived when waiting ended.</summary>
public sealed record Percentile(double Ms, bool LowerBound)
{
    public override string ToString() => (LowerBound ? "≥ " : "") + Ms.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>One store and number of hub processes of the phase "hubs on postgres".</summary>
/// <param name="ServerCpuMsPerCapture">CPU of the PostgreSQL backends serving the hubs' database per capture; null on SQLite.</param>
public sealed record HubsResult(string Store, int Hubs, double CapturesPerS, double HubCpuMsPerCapture, double? ServerCpuMsPerCapture, int Rate, RateStep AtRate);

/// <summary>The phases that run the hub as its own process against the broker.</summary>
/// <param name="onPostgres">The hub's store on PostgreSQL (a database of its own per store, on the server POSTGRES_URL names) instead of SQLite files.</param>
public sealed class HubPhases(BenchSizes sizes, string directory, Action<string> log, bool onPostgres = false)
{
    /// <summary>Closed loop: captures of new customers published as fast as the broker confirms them, timed until every copy is in the company queues.</summary>
    public async Task<(double CapturesPerS, double MessagesPerS, double CpuMsPerCapture)> Throughput(CancellationToken cancellationToken)
    {
        await using var processes = new Processes(directory, onPostgres);
        var hub = await processes.StartHub(Path.Combine(directory, "throughput.db"));
        await using var probe = await ArrivalProbe.Start(Captures.WorkshopRecipients);
        await using var pd = await CompanyPublisher.Open("PD");
        await WarmUp(pd, probe, () => Guid.NewGuid(), cancellationToken);
        var cpuBefore = hub.CpuTime();
        var deliveriesBefore = probe.Deliveries;
        var elapsed = await Closed(pd, probe, sizes.MeasuredCaptures, () => Guid.NewGuid(), probe.Completed, cancellationToken, "throughput");
        var cpu = hub.CpuTime() - cpuBefore;
        var deliveries = probe.Deliveries - deliveriesBefore;
        log($"hub: {sizes.MeasuredCaptures} captures, {deliveries} deliveries in {elapsed.TotalSeconds:0.00} s; hub CPU {cpu.TotalMilliseconds:0} ms");
        return (sizes.MeasuredCaptures / elapsed.TotalSeconds, (sizes.MeasuredCaptures + deliveries) / elapsed.TotalSeconds, cpu.TotalMilliseconds / sizes.MeasuredCaptures);
    }

    /// <summary>
    /// One store with <paramref name="hubCount"/> hub processes sharing its partitions: closed-loop throughput
    /// with the CPU of all hubs (and, on PostgreSQL, of the server's backends for its database), then a short
    /// open-loop window at one offered rate. A fresh store (database) per call.
    /// </summary>
    public async Task<HubsResult> Hubs(bool postgres, int hubCount, int rate, TimeSpan measure, CancellationToken cancellationToken)
    {
        var database = Path.Combine(directory, $"hubs-{(postgres ? "postgres" : "sqlite")}-{hubCount}.db");
        var opsPort = HubStages.FreePort();
        await using var processes = new Processes(directory, postgres);
        var hubs = await processes.StartHubs(database, hubCount, $"--Ops:Port={opsPort}");
        var store = processes.PostgresStore(database);
        await using var probe = await ArrivalProbe.Start(Captures.WorkshopRecipients);
        await using var pd = await CompanyPublisher.Open("PD");
        await WarmUp(pd, probe, () => Guid.NewGuid(), cancellationToken);
        TimeSpan HubsCpu() => hubs.Aggregate(TimeSpan.Zero, (sum, hub) => sum + hub.CpuTime());
        TimeSpan? ServerCpu() => store is null ? null : ChildProcess.PostgresBackendsCpuTime(store.Name);
        var (hubsBefore, serverBefore) = (HubsCpu(), ServerCpu());
        var elapsed = await Closed(pd, probe, sizes.MeasuredCaptures, () => Guid.NewGuid(), probe.Completed, cancellationToken, $"{hubCount} hub(s) on {(postgres ? "PostgreSQL" : "SQLite")}");
        var hubsCpu = HubsCpu() - hubsBefore;
        var serverCpu = ServerCpu() - serverBefore;
        var step = await new HubPhases(sizes with { StepMeasure = measure }, directory, log, postgres).Offer(pd, probe, rate, hubs[0], opsPort, cancellationToken);
        log($"{hubCount} hub(s) on {(postgres ? "PostgreSQL" : "SQLite")}: {sizes.MeasuredCaptures} captures in {elapsed.TotalSeconds:0.00} s, hubs' CPU {hubsCpu.TotalMilliseconds:0} ms" +
            (serverCpu is { } server ? $", PostgreSQL backends' CPU {server.TotalMilliseconds:0} ms" : "") +
            $"; at {rate}/s {step.Arrived} of {step.Measured} measured arrived, p99 {step.P99} ms");
        return new HubsResult(postgres ? "postgres" : "sqlite", hubCount, sizes.MeasuredCaptures / elapsed.TotalSeconds, hubsCpu.TotalMilliseconds / sizes.MeasuredCaptures,
            serverCpu?.TotalMilliseconds / sizes.MeasuredCaptures, rate, step);
    }

    /// <summary>Captures to customers already in a store of the given size (filled directly), closed loop; the hub's peak RSS.</summary>
    public async Task<(double CapturesPerS, double PeakRssMb, TimeSpan SeedTime)> ExistingCustomers(int customers, CancellationToken cancellationToken)
    {
        if (onPostgres)
        {
            throw new BenchmarkFailure($"the store of {customers:#,0} customers is filled in SQLite directly; not measured with --store postgres");
        }

        var database = Path.Combine(directory, $"store-{customers}.db");
        var (ids, seedTime) = await Task.Run(() => BenchmarkSeed.Fill(database, customers), cancellationToken).WaitAsync(cancellationToken);
        log($"store of {customers} customers filled in {seedTime.TotalSeconds:0.0} s ({new FileInfo(database).Length / 1_048_576.0:0} MB)");
        await using var processes = new Processes(directory, onPostgres);
        var hub = await processes.StartHub(database);
        await using var probe = await ArrivalProbe.Start(Captures.WorkshopRecipients);
        await using var pd = await CompanyPublisher.Open("PD");
        // Every customer in turn, in a shuffled order: a customer comes round again only after all others,
        // so the figure depends on the store's size, not on captures queueing behind others of their customer.
        new Random(customers).Shuffle(ids);
        var next = 0;
        Guid Existing() => ids[next++ % ids.Length];
        await WarmUp(pd, probe, Existing, cancellationToken);
        var elapsed = await Closed(pd, probe, sizes.MeasuredCaptures, Existing, probe.Completed, cancellationToken, $"captures at {customers} customers");
        var rss = hub.PeakRssMb();
        log($"{customers} customers: {sizes.MeasuredCaptures} captures in {elapsed.TotalSeconds:0.00} s; hub peak RSS {rss:0} MB");
        await processes.DisposeAsync();
        File.Delete(database);
        return (sizes.MeasuredCaptures / elapsed.TotalSeconds, rss, seedTime);
    }

    /// <summary>
    /// A freshly started hub runs much slower for its first seconds (code not yet compiled to its final tier,
    /// caches cold), so it is kept busy in closed loop for a while before anything is measured.
    /// </summary>
    private async Task WarmUp(CompanyPublisher pd, ArrivalProbe probe, Func<Guid> customer, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var captures = 0;
        while (clock.Elapsed < sizes.WarmUp)
        {
            await Closed(pd, probe, 100, customer, probe.Completed, cancellationToken, "warm-up", quiet: true);
            captures += 100;
        }

        log($"warm-up: {captures} captures in {clock.Elapsed.TotalSeconds:0.0} s");
    }

    private static async Task<TimeSpan> Closed(CompanyPublisher pd, ArrivalProbe probe, int count, Func<Guid> customer, int completedBefore, CancellationToken cancellationToken, string what, bool quiet = false)
    {
        var clock = Stopwatch.StartNew();
        await pd.PublishAll(Enumerable.Range(0, count).Select(_ => customer()), id => pd.Capture(Captures.Workshop(id)), cancellationToken);
        var published = clock.Elapsed;
        await probe.WaitForCompleted(completedBefore + count, cancellationToken, what);
        if (!quiet)
        {
            Console.WriteLine($"  {what}: {count} captures published and confirmed in {published.TotalSeconds:0.00} s, all copies arrived after {clock.Elapsed.TotalSeconds:0.00} s");
        }

        return clock.Elapsed;
    }

    /// <summary>
    /// Open loop: captures offered at a steady rate by a timer that never waits for the hub (nor for
    /// the broker's confirms), warm-up first, then the measured window; latency from the capture time to the
    /// last copy's arrival. Rates are stepped up until p99 reaches 50 ms; the target rate is always measured.
    /// After a step the measured captures are waited for up to a limit; whatever is still queued then is
    /// purged with the hub stopped, so the next step starts empty.
    /// </summary>
    public async Task<List<RateStep>> OpenLoop(CancellationToken cancellationToken)
    {
        var steps = new List<RateStep>();
        var database = Path.Combine(directory, "latency.db");
        var processes = new Processes(directory, onPostgres);
        var opsPort = HubStages.FreePort();
        try
        {
            var hub = await processes.StartHub(database, $"--Ops:Port={opsPort}");
            await using var probe = await ArrivalProbe.Start(Captures.WorkshopRecipients);
            await using var pd = await CompanyPublisher.Open("PD");
            await WarmUp(pd, probe, () => Guid.NewGuid(), cancellationToken);
            var offeredSoFar = probe.Completed;
            var plan = new Queue<int>(sizes.RateSteps);
            while (plan.TryDequeue(out var rate))
            {
                var step = await Offer(pd, probe, rate, hub, opsPort, cancellationToken);
                offeredSoFar += step.Offered;
                steps.Add(step);
                log($"offered {step.Rate}/s: {step.Arrived} of {step.Measured} measured arrived; p50 {step.P50} ms, p95 {step.P95} ms, p99 {step.P99} ms");
                if (!step.Met)
                {
                    plan.Clear();
                }

                if (plan.Count == 0 && !steps.Any(s => s.Rate == BenchSizes.OpenLoopRate))
                {
                    plan.Enqueue(BenchSizes.OpenLoopRate);
                }

                if (plan.Count > 0 && probe.Completed < offeredSoFar)
                {
                    // A backlog is left: stop the hub, empty the queues, start it again on the same store.
                    await processes.DisposeAsync();
                    await Broker.PurgeAll();
                    processes = new Processes(directory, onPostgres);
                    hub = await processes.StartHub(database, $"--Ops:Port={opsPort}");
                    await WarmUp(pd, probe, () => Guid.NewGuid(), cancellationToken);
                    offeredSoFar = probe.Completed;
                }
            }
        }
        finally
        {
            await processes.DisposeAsync();
        }

        return steps;
    }

    private async Task<RateStep> Offer(CompanyPublisher pd, ArrivalProbe probe, int rate, ChildProcess hub, int opsPort, CancellationToken cancellationToken)
    {
        Task<HubStages.Snapshot?>? atStart = null;
        CpuShares.Sample? cpuAtStart = null;
        var measured = new List<(Guid CaptureId, DateTimeOffset CapturedAt)>();
        var confirms = new List<Task>();
        var total = sizes.StepWarmUp + sizes.StepMeasure;
        var clock = Stopwatch.StartNew();
        var offered = 0;
        using (var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(2)))
        {
            while (clock.Elapsed < total)
            {
                var due = (int)(clock.Elapsed.TotalSeconds * rate);
                for (; offered < due; offered++)
                {
                    var capture = Captures.Workshop(Guid.NewGuid());
                    confirms.Add(pd.Capture(capture));
                    if (clock.Elapsed >= sizes.StepWarmUp)
                    {
                        // Not awaited: the offer must not wait for the scrape.
                        atStart ??= HubStages.Read(opsPort);
                        cpuAtStart ??= CpuShares.Take(hub);
                        measured.Add((capture.CaptureId, capture.CapturedAt));
                    }
                }

                await timer.WaitForNextTickAsync(cancellationToken);
            }
        }

        await Task.WhenAll(confirms).WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        var waitUntil = DateTime.UtcNow + sizes.StepDrainLimit;
        while (measured.Any(m => probe.LatencyMs(m.CaptureId) is null) && DateTime.UtcNow < waitUntil)
        {
            await Task.Delay(50, cancellationToken);
        }

        var cpu = cpuAtStart is null ? null : CpuShares.Between(cpuAtStart, CpuShares.Take(hub));
        var waitedUntil = DateTimeOffset.UtcNow;
        var before = atStart is null ? null : await atStart;
        var after = await HubStages.Read(opsPort);
        var stages = before is null || after is null ? [] : HubStages.Between(before, after);
        var latencies = measured.Select(m => (Ms: probe.LatencyMs(m.CaptureId), Waited: (waitedUntil - m.CapturedAt).TotalMilliseconds)).ToList();
        var arrived = latencies.Where(l => l.Ms is not null).Select(l => l.Ms!.Value).Order().ToList();

        // Not arrived: at least as late as it had waited when waiting ended; the least of those bounds the missing ranks.
        var missingBound = latencies.Where(l => l.Ms is null).Select(l => l.Waited).DefaultIfEmpty(double.MaxValue).Min();
        Percentile At(double p)
        {
            if (measured.Count == 0)
            {
                return new Percentile(double.NaN, true);
            }

            var rank = (int)Math.Ceiling(p * measured.Count) - 1;
            return rank < arrived.Count ? new Percentile(arrived[rank], false) : new Percentile(Math.Max(missingBound, arrived.LastOrDefault()), true);
        }

        // Stalls that hit everything in flight at once put the slowest captures in a few short windows;
        // queueing that builds up and drains spreads them.
        var slowest = measured.Zip(latencies).OrderByDescending(m => m.Second.Ms ?? double.MaxValue).Take(Math.Max(1, measured.Count / 100))
            .Select(m => m.First.CapturedAt.ToUnixTimeMilliseconds() / 100).Distinct().Count();
        return new RateStep(rate, offered, measured.Count, arrived.Count, At(0.50), At(0.95), At(0.99), stages, slowest, cpu);
    }

    /// <summary>
    /// Customers captured through the hub (each held by 3 or 4 companies) with every company worker running;
    /// then one erasure request per customer, all published at once; timed until the hub's ErasureCompleted
    /// event of every one is in ops.events.
    /// </summary>
    public async Task<(double Seconds, int MinHolders, int MaxHolders)> Erasures(CancellationToken cancellationToken)
    {
        await using var processes = new Processes(directory, onPostgres);
        await processes.StartHub(Path.Combine(directory, "erasure.db"));
        await processes.StartWorkers(Broker.CompanyIds);
        var customers = Enumerable.Range(0, sizes.Erasures).Select(_ => Guid.NewGuid()).ToArray();
        await using (var pd = await CompanyPublisher.Open("PD"))
        await using (var psm = await CompanyPublisher.Open("PSM"))
        {
            // PD's financing captures reach OP-NORD, PAG and PFS; PSM's reach PD as well.
            var clock = Stopwatch.StartNew();
            await pd.PublishAll(customers.Select((id, i) => (id, i)),
                c => c.i % 2 == 0 ? pd.Capture(Captures.Financing(c.id, "PD")) : psm.Capture(Captures.Financing(c.id, "PSM")), cancellationToken);
            await WaitUntilDrained(cancellationToken);
            log($"{customers.Length} customers captured and delivered to the workers in {clock.Elapsed.TotalSeconds:0.0} s");
        }

        await using var events = await Broker.Factory("ops").CreateConnectionAsync(cancellationToken);
        await using var channel = await events.CreateChannelAsync(cancellationToken: cancellationToken);
        await channel.BasicQosAsync(0, 500, false, cancellationToken);
        var wanted = customers.ToHashSet();
        var completed = new System.Collections.Concurrent.ConcurrentDictionary<Guid, int>();
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumer = new AsyncEventingBasicConsumer(channel);
        var erasureCompleted = BrokerNames.MessageUrn<ErasureCompleted>();
        var erasing = new Stopwatch();
        TimeSpan? firstDone = null;
        consumer.ReceivedAsync += (_, delivery) =>
        {
            if (delivery.BasicProperties.Headers?.TryGetValue(BrokerNames.MessageTypeHeader, out var type) == true &&
                type is byte[] bytes && System.Text.Encoding.UTF8.GetString(bytes) == erasureCompleted)
            {
                var done = System.Text.Json.JsonSerializer.Deserialize<ErasureCompleted>(delivery.Body.Span, MassTransit.Serialization.SystemTextJsonMessageSerializer.Options);
                if (done is not null && wanted.Contains(done.CustomerId) && completed.TryAdd(done.CustomerId, done.AcknowledgedBy.Count))
                {
                    firstDone ??= erasing.Elapsed;
                    if (completed.Count == wanted.Count)
                    {
                        all.TrySetResult();
                    }
                }
            }

            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync("ops.events", autoAck: true, consumer, cancellationToken);

        await using var receivedBy = await CompanyPublisher.Open("PD");
        erasing.Start();
        await receivedBy.PublishAll(customers, id => receivedBy.Publish("inbound.erasure-requested",
            new ErasureRequested { RequestId = Guid.NewGuid(), CustomerId = id, ReceivedBy = "PD", ReceivedAt = DateTimeOffset.UtcNow }), cancellationToken);
        var published = erasing.Elapsed;
        try
        {
            await all.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            throw new BenchmarkFailure($"{completed.Count} of {customers.Length} erasures completed in {erasing.Elapsed.TotalSeconds:0} s");
        }

        var seconds = erasing.Elapsed.TotalSeconds;
        log($"{customers.Length} erasures completed in {seconds:0.0} s (requests published in {published.TotalSeconds:0.0} s, the first completed after {firstDone?.TotalSeconds:0.0} s)");
        return (seconds, completed.Values.Min(), completed.Values.Max());
    }

    /// <summary>Until the hub's queue and every company queue have stayed empty for a second.</summary>
    internal static async Task WaitUntilDrained(CancellationToken cancellationToken)
    {
        await using var connection = await Broker.Factory("hub").CreateConnectionAsync(cancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        var queues = Broker.CompanyIds.Select(BrokerNames.CompanyQueue).Append(BrokerNames.HubInboundQueue).ToList();
        var emptySince = (DateTime?)null;
        var waiting = new List<string>();
        while (emptySince is null || DateTime.UtcNow - emptySince < TimeSpan.FromSeconds(1))
        {
            if (cancellationToken.IsCancellationRequested)
            {
                throw new BenchmarkFailure("the captured customers' messages were not all consumed in time; still queued: " + string.Join(", ", waiting));
            }

            waiting.Clear();
            foreach (var queue in queues)
            {
                if ((await Broker.Depth(channel, queue)).Ready is > 0 and var ready)
                {
                    waiting.Add($"{queue} {ready}");
                }
            }

            emptySince = waiting.Count == 0 ? emptySince ?? DateTime.UtcNow : null;
            await Task.Delay(200, CancellationToken.None);
        }
    }
}
