using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using IntegrationHub.Benchmarks;

// The hub beside the bus in one run on the real broker (issue 9): raw RabbitMQ.Client, bare MassTransit,
// the hub's throughput and CPU per capture, open-loop latency at stepped rates, erasures with every worker
// running, and captures against stores of 1,000 and 1,000,000 customers. Writes latest.md and latest.json.
// usage: dotnet run -c Release --project bench/IntegrationHub.Benchmarks -- [--quick] [--out <dir>]
// The broker: RABBITMQ_URL (amqp://host:port) or the local default, with definitions.json loaded; the
// benchmark purges the hub's and the companies' queues between phases, so use a broker kept for benchmarks.
// The soak of issue 12 (item 3; everything else is in Soak.cs): `-- --soak [captures] [results file]`.
if (args.FirstOrDefault() == "--soak")
{
    return await Soak.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200_000, args.Length > 2 ? args[2] : Path.Combine("bench", "results", "soak.md"));
}

if (args.FirstOrDefault() == "--host")
{
    return await BenchHost.Run(args[1..]);
}

var quick = args.Contains("--quick");
var outIndex = Array.IndexOf(args, "--out");
var output = outIndex >= 0 && outIndex + 1 < args.Length ? args[outIndex + 1] : Path.Combine("bench", "results");
var onlyIndex = Array.IndexOf(args, "--only");
var only = onlyIndex >= 0 && onlyIndex + 1 < args.Length ? args[onlyIndex + 1] : null;

// --rates 500: the open loop offers only these rates (in this order), e.g. to compare variants of the hub at 500/s.
var ratesIndex = Array.IndexOf(args, "--rates");
var rates = ratesIndex >= 0 && ratesIndex + 1 < args.Length ? args[ratesIndex + 1] : null;
// --store postgres: the hub's phases on PostgreSQL (POSTGRES_URL; infrastructure/postgres/start-postgres.sh), a database per store.
var storeIndex = Array.IndexOf(args, "--store");
var store = storeIndex >= 0 && storeIndex + 1 < args.Length ? args[storeIndex + 1] : "sqlite";
if (args.Except(["--quick", "--out", output, "--only", only ?? "--only", "--rates", rates ?? "--rates", "--store", store]).Any() || store is not ("sqlite" or "postgres") ||
    (rates is not null && !rates.Split(',').All(r => int.TryParse(r, CultureInfo.InvariantCulture, out var rate) && rate > 0)))
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project bench/IntegrationHub.Benchmarks -- [--quick] [--out <dir>] [--only <phase name start>] [--rates <rate,...>] [--store sqlite|postgres]");
    return 64;
}

var command = "dotnet run -c Release --project bench/IntegrationHub.Benchmarks --" + (quick ? " --quick" : "") + (outIndex >= 0 ? $" --out {output}" : "") +
    (only is null ? "" : $" --only \"{only}\"") + (rates is null ? "" : $" --rates {rates}") + (storeIndex >= 0 ? $" --store {store}" : "");
var sizes = BenchSizes.For(quick);
if (rates is not null)
{
    sizes = sizes with { RateSteps = rates.Split(',').Select(r => int.Parse(r, CultureInfo.InvariantCulture)).ToArray() };
}

var started = DateTimeOffset.UtcNow;
var loadAtStart = LoadAverage();
var runClock = Stopwatch.StartNew();
var directory = Path.Combine(Path.GetTempPath(), "ih-bench-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(directory);
var report = new Report();
var phases = new HubPhases(sizes, directory, Log, onPostgres: store == "postgres");
var workerPhases = new WorkerPhases(sizes, directory, Log);
string? skipReason = null;
Log($"{(quick ? "quick" : "full")} run on {Broker.Address}, the hub's store on {store}; stores and logs in {directory}");

await Phase("baselines", quick ? 90 : 300, async token =>
{
    var raw = await Baselines.RawRabbitMq(sizes.BaselineMessages, token);
    var bare = await Baselines.BareMassTransit(sizes.BaselineMessages, token);
    report.Set("raw_msgs_per_s", raw, $"{sizes.BaselineMessages} messages");
    report.Set("bare_masstransit_msgs_per_s", bare, $"{sizes.BaselineMessages} messages");
    return $"raw {raw:0} msg/s, bare MassTransit {bare:0} msg/s";
});

await Phase("hub throughput and CPU", quick ? 120 : 600, async token =>
{
    var (captures, messages, cpu) = await phases.Throughput(token);
    report.Set("hub_captures_per_s", captures, $"{sizes.MeasuredCaptures} captures after {sizes.WarmUp.TotalSeconds:0} s of warm-up");
    report.Set("hub_msgs_per_s", messages);
    report.Set("hub_cpu_ms_per_capture", cpu, "hub process only, over the measured captures");
    if (report.Get("bare_masstransit_msgs_per_s") is { } bare)
    {
        report.Set("ratio_hub_to_bare", messages / bare);
    }

    return $"{captures:0} captures/s, {messages:0} msg/s, {cpu:0.0} ms CPU per capture";
});

await Phase("store of 1,000 customers", quick ? 120 : 600, async token =>
{
    var (captures, _, _) = await phases.ExistingCustomers(1_000, token);
    report.Set("captures_per_s_at_1k_customers", captures, $"{sizes.MeasuredCaptures} captures");
    return $"{captures:0} captures/s";
});

await Phase($"store of {sizes.LargeStore:#,0} customers", quick ? 300 : 1800, async token =>
{
    var (captures, rss, seedTime) = await phases.ExistingCustomers(sizes.LargeStore, token);
    var filled = $"store of {sizes.LargeStore:#,0} customers filled directly in {seedTime.TotalSeconds:0} s";
    report.Set("captures_per_s_at_1m_customers", captures, $"{sizes.MeasuredCaptures} captures; {filled}" +
        (report.Get("captures_per_s_at_1k_customers") is { } atThousand ? $"; {captures / atThousand:0.00} × at 1,000" : ""));
    report.Set("hub_peak_rss_mb_at_1m", rss);
    return $"{captures:0} captures/s; peak RSS {rss:0} MB; {filled}";
});

// The open loop overloads the hub at 500/s and leaves a backlog that is purged; the broker works on that
// for a while after, so the closed-loop phases that are compared with each other run before it.
await Phase("open-loop latency", quick ? 180 : 1500, async token =>
{
    var steps = await phases.OpenLoop(token);
    foreach (var step in steps)
    {
        report.Step(step);
    }

    var at500 = steps.Single(s => s.Rate == BenchSizes.OpenLoopRate);
    var arrivedNote = $"{at500.Arrived} of {at500.Measured} measured captures arrived within {sizes.StepDrainLimit.TotalSeconds:0} s after the offer ended";
    report.Set("p50_ms_at_500", at500.P50.Ms, arrivedNote, at500.P50.LowerBound);
    report.Set("p95_ms_at_500", at500.P95.Ms, null, at500.P95.LowerBound);
    report.Set("p99_ms_at_500", at500.P99.Ms, null, at500.P99.LowerBound);
    var passed = steps.Where(s => s.Met).Select(s => s.Rate).DefaultIfEmpty(0).Max();
    report.Set("max_rate_p99_under_50ms", passed, $"steps {string.Join(", ", steps.Select(s => s.Rate))}/s; stepping stops at the first rate whose p99 is not under 50 ms" +
        (passed == 0 ? "; no step met it" : ""));
    return $"p99 at 500/s {at500.P99} ms; highest rate with p99 < 50 ms: {passed}/s";
});

await Phase($"{sizes.Erasures:#,0} erasures", quick ? 240 : 3600, async token =>
{
    var (seconds, minHolders, maxHolders) = await phases.Erasures(token);
    var held = $"held by {minHolders} to {maxHolders} companies (the acknowledgements named in ErasureCompleted)";
    if (sizes.Erasures == 10_000)
    {
        report.Set("erasures_10k_s", seconds, held);
    }
    else
    {
        report.Note("erasures_10k_s", $"quick run: {sizes.Erasures} erasures took {seconds:0.0} s ({sizes.Erasures / seconds:0.0}/s), {held}; the 10,000 are in the full run only");
        report.Extra("erasures_quick", new JsonObject { ["count"] = sizes.Erasures, ["seconds"] = Math.Round(seconds, 1) });
    }

    return $"{sizes.Erasures} erasures in {seconds:0.0} s; {held}";
});

await Phase($"workers alone: the {sizes.Erasures:#,0} erasures' commands", quick ? 240 : 1200, async token =>
{
    var (seconds, commands) = await workerPhases.Erasures(token);
    report.Extra("worker_erasures", new JsonObject
    {
        ["customers"] = sizes.Erasures, ["commands"] = commands, ["seconds"] = Math.Round(seconds, 1), ["commands_per_s"] = Math.Round(commands / seconds),
    });
    return $"{commands} erasure commands answered by the workers alone in {seconds:0.0} s ({commands / seconds:0}/s)";
});

// Issue 10: the hub on PostgreSQL with 1, 2 and 3 hub processes sharing one database, beside SQLite with its one
// hub; last, since it needs POSTGRES_URL (infrastructure/postgres/start-postgres.sh).
await Phase("hubs on postgres", quick ? 300 : 900, async token =>
{
    const int rate = 300;
    var measure = TimeSpan.FromSeconds(quick ? 3 : 10);
    var results = new List<HubsResult>();
    foreach (var (postgres, hubs) in new[] { (false, 1), (true, 1), (true, 2), (true, 3) })
    {
        results.Add(await phases.Hubs(postgres, hubs, rate, measure, token));
        await Broker.PurgeAll();
    }

    report.HubsOnPostgres(results, $"{sizes.MeasuredCaptures} captures closed loop after {sizes.WarmUp.TotalSeconds:0} s of warm-up; p99 over {measure.TotalSeconds:0} s offered at {rate}/s after {sizes.StepWarmUp.TotalSeconds:0} s");
    return string.Join("; ", results.Select(r => $"{r.Store} × {r.Hubs}: {r.CapturesPerS:0} captures/s, {r.HubCpuMsPerCapture:0.0} ms hub CPU per capture, p99 at {r.Rate}/s {r.AtRate.P99} ms"));
});

Processes.DropDatabases();
runClock.Stop();
var run = new RunInfo(quick, command, started, runClock.Elapsed, Broker.Address, MemoryMb(), CpuModel(), loadAtStart, LoadAverage());
await report.Write(output, run);
Log($"run took {runClock.Elapsed.TotalSeconds:0} s; wrote {Path.Combine(output, "latest.md")} and latest.json");
if (skipReason is null)
{
    Directory.Delete(directory, recursive: true);
    return 0;
}

Log($"not every phase finished ({skipReason}); logs kept in {directory}");
return 1;

// Runs a phase under its watchdog: its token is cancelled at the budget, and if it has not returned shortly
// after, its processes are killed and the run goes on without it. A phase that failed or ran out of time
// makes every later phase be skipped with the reason.
async Task Phase(string name, int budgetSeconds, Func<CancellationToken, Task<string>> body)
{
    if (only is not null && !name.StartsWith(only, StringComparison.OrdinalIgnoreCase))
    {
        report.Phase(name, "skipped", TimeSpan.Zero, "not selected (--only)");
        return;
    }

    if (skipReason is not null)
    {
        report.Phase(name, "skipped", TimeSpan.Zero, skipReason);
        Log($"{name}: skipped ({skipReason})");
        return;
    }

    Log($"{name}: starting (budget {budgetSeconds} s)");
    var budget = TimeSpan.FromSeconds(budgetSeconds);
    using var cancel = new CancellationTokenSource(budget);
    var clock = Stopwatch.StartNew();
    string? failure = null;
    try
    {
        await Broker.PurgeAll().WaitAsync(TimeSpan.FromSeconds(30));
        var running = body(cancel.Token);
        if (await Task.WhenAny(running, Task.Delay(budget + TimeSpan.FromSeconds(30))) != running)
        {
            ChildProcess.KillAll();
            failure = $"hung past its time budget of {budgetSeconds} s";
        }
        else
        {
            var detail = await running;
            report.Phase(name, "done", clock.Elapsed, detail);
            Log($"{name}: {detail} ({clock.Elapsed.TotalSeconds:0} s)");
        }
    }
    catch (Exception e) when (e is OperationCanceledException or TimeoutException && cancel.IsCancellationRequested)
    {
        failure = $"exceeded its time budget of {budgetSeconds} s";
    }
    catch (Exception e)
    {
        // Whatever went wrong, the page is still written with what was measured, and says what failed.
        var reason = e switch
        {
            RabbitMQ.Client.Exceptions.BrokerUnreachableException => $"the broker at {Broker.Address} could not be reached (RABBITMQ_URL)",
            BenchmarkFailure => e.Message,
            _ => $"{e.GetType().Name}: {e.Message}",
        };
        failure = (cancel.IsCancellationRequested ? $"exceeded its time budget of {budgetSeconds} s: " : "failed: ") + reason;
    }

    if (failure is not null)
    {
        report.Phase(name, "failed", clock.Elapsed, failure);
        Log($"{name}: {failure}");
        skipReason = $"phase '{name}' {failure}";
        try
        {
            await Broker.PurgeAll().WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (Exception e) when (e is TimeoutException or IOException or RabbitMQ.Client.Exceptions.BrokerUnreachableException)
        {
            Log($"could not empty the queues after the failure: {e.Message}");
        }
    }
}

void Log(string line) => Console.WriteLine($"[{runClock.Elapsed.TotalSeconds,6:0.0} s] {line}");

static double MemoryMb()
{
    var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
    return long.Parse(line["MemTotal:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
}

static string LoadAverage() => string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

static string CpuModel() =>
    File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
