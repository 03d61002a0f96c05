using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IntegrationHub.Benchmarks;

/// <summary>What one run measured, each figure beside its target of issue 9, written as latest.md and latest.json.</summary>
public sealed class Report
{
    /// <summary>The figures in the order of the page, with their unit and the target of issue 9 (a ratio or bound within the run).</summary>
    private static readonly (string Key, string What, string Target)[] Layout =
    [
        ("raw_msgs_per_s", "raw RabbitMQ.Client, msg/s (1 KB, persistent, confirms, quorum queue)", ""),
        ("bare_masstransit_msgs_per_s", "bare MassTransit, msg/s (same)", ""),
        ("hub_captures_per_s", "hub, captures/s (closed loop, new customers, 2 copies each)", ""),
        ("hub_msgs_per_s", "hub, msg/s (captures in plus deliveries out, each counted once)", ""),
        ("ratio_hub_to_bare", "hub msg/s ÷ bare MassTransit msg/s", "≥ 0.5"),
        ("hub_cpu_ms_per_capture", "hub process CPU (user + system) per capture, ms", "≤ 3"),
        ("p50_ms_at_500", "capture to company queue at 500/s offered, p50 ms", ""),
        ("p95_ms_at_500", "same, p95 ms", ""),
        ("p99_ms_at_500", "same, p99 ms", "< 50"),
        ("max_rate_p99_under_50ms", "highest offered rate with p99 < 50 ms, captures/s", "reported"),
        ("erasures_10k_s", "10,000 erasures (customers held by 3–4 companies, every worker running), s", "≤ 60"),
        ("captures_per_s_at_1k_customers", "captures/s to existing customers, store of 1,000", ""),
        ("captures_per_s_at_1m_customers", "captures/s to existing customers, store of 1,000,000", "≥ 0.8 × at 1,000"),
        ("hub_peak_rss_mb_at_1m", "hub peak RSS (VmHWM) with 1,000,000 customers, MB", "< 400"),
    ];

    private readonly Dictionary<string, double?> _values = Layout.ToDictionary(l => l.Key, _ => (double?)null);
    private readonly Dictionary<string, string> _notes = [];
    private readonly Dictionary<string, bool> _lowerBounds = [];
    private readonly List<(string Name, string Status, double Seconds, string Detail)> _phases = [];
    private readonly JsonArray _steps = [];
    private readonly JsonObject _extra = [];

    public void Set(string key, double value, string? note = null, bool lowerBound = false)
    {
        _values[key] = value;
        _lowerBounds[key] = lowerBound;
        if (note is not null)
        {
            _notes[key] = note;
        }
    }

    public void Note(string key, string note) => _notes[key] = note;

    public void Extra(string key, JsonNode? value) => _extra[key] = value;

    public double? Get(string key) => _values.GetValueOrDefault(key);

    public void Phase(string name, string status, TimeSpan elapsed, string detail) => _phases.Add((name, status, elapsed.TotalSeconds, detail));

    public void Step(RateStep step) => _steps.Add(new JsonObject
    {
        ["offered_per_s"] = step.Rate, ["offered"] = step.Offered, ["measured"] = step.Measured, ["arrived"] = step.Arrived,
        ["p50_ms"] = Round(step.P50.Ms), ["p95_ms"] = Round(step.P95.Ms), ["p99_ms"] = Round(step.P99.Ms),
        ["p99_is_lower_bound"] = step.P99.LowerBound, ["p99_under_50ms"] = step.Met,
        ["slowest_1pct_in_100ms_windows"] = step.SlowestWindows, ["hub_stages"] = HubStages.Json(step.Stages),
        ["cpu"] = step.Cpu is { } cpu ? new JsonObject
        {
            ["machine_busy_cores"] = Math.Round(cpu.MachineBusyCores, 2), ["hub_cores"] = Math.Round(cpu.HubCores, 2), ["benchmark_cores"] = Math.Round(cpu.BenchCores, 2),
            ["summary"] = cpu.ToString(),
        } : null,
    });

    /// <summary>The phase "hubs on postgres": one row per store and number of hub processes.</summary>
    public void HubsOnPostgres(IEnumerable<HubsResult> results, string how)
    {
        Extra("hubs_on_postgres", new JsonArray(results.Select(r => (JsonNode?)new JsonObject
        {
            ["store"] = r.Store, ["hubs"] = r.Hubs, ["captures_per_s"] = Round(r.CapturesPerS), ["hub_cpu_ms_per_capture"] = Round(r.HubCpuMsPerCapture),
            ["postgres_backends_cpu_ms_per_capture"] = r.ServerCpuMsPerCapture is { } server ? Round(server) : null,
            ["offered_per_s"] = r.Rate, ["measured"] = r.AtRate.Measured, ["arrived"] = r.AtRate.Arrived,
            ["p99_ms_at_rate"] = Round(r.AtRate.P99.Ms), ["p99_is_lower_bound"] = r.AtRate.P99.LowerBound,
        }).ToArray()));
        Note("hubs_on_postgres", how);
    }

    /// <summary>Whether the figure meets its target; null without a target or without the figure.</summary>
    private bool? Met(string key)
    {
        var value = _values.GetValueOrDefault(key);
        if (value is not { } v)
        {
            return null;
        }

        var lowerBound = _lowerBounds.GetValueOrDefault(key);
        return key switch
        {
            "ratio_hub_to_bare" => v >= 0.5,
            "hub_cpu_ms_per_capture" => v <= 3,
            "p99_ms_at_500" => !lowerBound && v < 50,
            "erasures_10k_s" => v <= 60,
            "captures_per_s_at_1m_customers" => Get("captures_per_s_at_1k_customers") is { } atThousand ? v >= 0.8 * atThousand : null,
            "hub_peak_rss_mb_at_1m" => v < 400,
            _ => null,
        };
    }

    public async Task Write(string directory, RunInfo run)
    {
        Directory.CreateDirectory(directory);
        var json = new JsonObject
        {
            ["date"] = run.Started.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["command"] = run.Command,
            ["mode"] = run.Quick ? "quick" : "full",
            ["duration_s"] = Round(run.Duration.TotalSeconds),
            ["machine"] = new JsonObject
            {
                ["cores"] = Environment.ProcessorCount, ["memory_mb"] = Math.Round(run.MemoryMb), ["cpu"] = run.CpuModel,
                ["load_average_at_start"] = run.LoadAtStart, ["load_average_at_end"] = run.LoadAtEnd,
            },
            ["broker"] = run.Broker,
        };
        foreach (var (key, _, _) in Layout)
        {
            json[key] = _values[key] is { } v ? Round(v) : null;
        }

        json["targets"] = new JsonObject(Layout.Where(l => l.Target.Length > 0).Select(l => KeyValuePair.Create(l.Key,
            (JsonNode?)new JsonObject { ["target"] = l.Target, ["met"] = Met(l.Key) })));
        json["lower_bounds"] = new JsonArray(_lowerBounds.Where(b => b.Value).Select(b => (JsonNode?)JsonValue.Create(b.Key)).ToArray());
        json["notes"] = new JsonObject(_notes.Select(n => KeyValuePair.Create(n.Key, (JsonNode?)JsonValue.Create(n.Value))));
        json["rate_steps"] = _steps.DeepClone();
        json["phases"] = new JsonArray(_phases.Select(p => (JsonNode?)new JsonObject
        {
            ["name"] = p.Name, ["status"] = p.Status, ["seconds"] = Round(p.Seconds), ["detail"] = p.Detail,
        }).ToArray());
        foreach (var (key, value) in _extra)
        {
            json[key] = value?.DeepClone();
        }

        await File.WriteAllTextAsync(Path.Combine(directory, "latest.json"), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
        await File.WriteAllTextAsync(Path.Combine(directory, "latest.md"), Page(run));
    }

    private string Page(RunInfo run)
    {
        var page = new StringBuilder();
        void Line(string text = "") => page.Append(text).Append('\n');
        Line($"# The hub beside the bus: {(run.Quick ? "quick run" : "full run")} of {run.Started.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC");
        Line();
        Line($"Machine: {Environment.ProcessorCount} cores ({run.CpuModel}), {run.MemoryMb / 1024.0:0.0} GB memory; load average (1, 5, 15 min) {run.LoadAtStart} at the start, {run.LoadAtEnd} at the end. Broker: {run.Broker} (RabbitMQ, quorum queues).");
        Line($"Command: `{run.Command}`. The run took {run.Duration.TotalSeconds:0} s ({run.Duration.TotalMinutes:0.0} min).");
        Line();
        Line("Targets are those of issue 9: each is a ratio or bound within this one run, not a timed test.");
        Line("A value written ≥ is a lower bound: at that rank captures had not arrived when waiting ended.");
        Line();
        Line("| figure | value | target | met? | note |");
        Line("|---|---|---|---|---|");
        foreach (var (key, what, target) in Layout)
        {
            var value = _values[key] is { } v ? (_lowerBounds.GetValueOrDefault(key) ? "≥ " : "") + Format(v) : "not measured";
            var met = Met(key) switch { true => "met", false => "missed", null => target.Length > 0 && _values[key] is null ? "not measured" : "" };
            Line($"| {what} (`{key}`) | {value} | {target} | {met} | {_notes.GetValueOrDefault(key, "").Replace("|", "/", StringComparison.Ordinal)} |");
        }

        if (_steps.Count > 0)
        {
            Line();
            Line("## Offered rate steps (open loop, latency from publish to the last copy in a company queue)");
            Line();
            Line("| offered/s | offered | measured | arrived | p50 ms | p95 ms | p99 ms | p99 < 50 ms |");
            Line("|---|---|---|---|---|---|---|---|");
            foreach (var step in _steps.OfType<JsonObject>())
            {
                var bound = step["p99_is_lower_bound"]!.GetValue<bool>() ? "≥ " : "";
                Line($"| {step["offered_per_s"]} | {step["offered"]} | {step["measured"]} | {step["arrived"]} | {step["p50_ms"]} | {step["p95_ms"]} | {bound}{step["p99_ms"]} | {(step["p99_under_50ms"]!.GetValue<bool>() ? "yes" : "no")} |");
            }
        }

        if (_steps.OfType<JsonObject>().LastOrDefault(s => s["offered_per_s"]!.GetValue<int>() == BenchSizes.OpenLoopRate) is { } at500 &&
            at500["hub_stages"] is JsonArray { Count: > 0 } stages)
        {
            Line();
            Line($"## Where a capture's time goes at {BenchSizes.OpenLoopRate}/s (the hub's /metrics over the measured window)");
            Line();
            Line($"End to end (publish → last copy in a company queue): p50 {at500["p50_ms"]} ms, p99 {at500["p99_ms"]} ms. " +
                 $"The slowest 1 % were published in {at500["slowest_1pct_in_100ms_windows"]} distinct 100-ms windows of the {at500["measured"]!.GetValue<int>() / BenchSizes.OpenLoopRate * 10} the window had.");
            if (at500["cpu"] is JsonObject cpu)
            {
                Line($"Over the window: {cpu["summary"]}.");
            }

            Line("Each stage is a histogram of its own (percentiles interpolated within buckets whose bounds near 50 ms are 30, 40, 50, 75 ms), so stage percentiles do not add up to the end-to-end ones.");
            Line();
            Line("| stage | recorded | p50 | p99 | mean |");
            Line("|---|---|---|---|---|");
            foreach (var stage in stages.OfType<JsonObject>())
            {
                var unit = stage["unit"]!.GetValue<string>() == "ms" ? " ms" : "";
                Line($"| {stage["stage"]} | {stage["recorded"]} | {stage["p50"]}{unit} | {stage["p99"]}{unit} | {stage["mean"]}{unit} |");
            }
        }

        if (_extra["hubs_on_postgres"] is JsonArray { Count: > 0 } hubs)
        {
            Line();
            Line("## Several hub processes on one PostgreSQL database, beside SQLite (issue 10)");
            Line();
            Line($"{_notes.GetValueOrDefault("hubs_on_postgres", "")}. Hub CPU: all hub processes together. PostgreSQL CPU: the server's backends connected to the hubs' database (not its WAL writer, checkpointer and other shared processes). The hubs, the server, the broker and the benchmark share this machine's cores.");
            Line();
            Line("| store | hub processes | captures/s | hub CPU ms per capture | PostgreSQL backends' CPU ms per capture | offered/s | arrived of measured | p99 ms |");
            Line("|---|---|---|---|---|---|---|---|");
            foreach (var row in hubs.OfType<JsonObject>())
            {
                var bound = row["p99_is_lower_bound"]!.GetValue<bool>() ? "≥ " : "";
                Line($"| {row["store"]} | {row["hubs"]} | {row["captures_per_s"]} | {row["hub_cpu_ms_per_capture"]} | {row["postgres_backends_cpu_ms_per_capture"]?.ToString() ?? "–"} | {row["offered_per_s"]} | {row["arrived"]} of {row["measured"]} | {bound}{row["p99_ms_at_rate"]} |");
            }
        }

        Line();
        Line("## Phases");
        Line();
        Line("| phase | status | seconds | detail |");
        Line("|---|---|---|---|");
        foreach (var (name, status, seconds, detail) in _phases)
        {
            Line($"| {name} | {status} | {seconds:0.0} | {detail.Replace("|", "/", StringComparison.Ordinal).ReplaceLineEndings(" ")} |");
        }

        Line();
        Line("## How it is measured");
        Line();
        foreach (var line in Method)
        {
            Line("- " + line);
        }

        Line();
        Line("## What bounds each figure");
        Line();

        // Written by hand from profiles (bench/profile-hub.sh) and kept beside the results, so that a new
        // run shows the analysis with the date it was made for, never a guess made up by the harness.
        var bounds = Path.Combine("bench", "results", "bounds.md");
        Line(File.Exists(bounds)
            ? File.ReadAllText(bounds).TrimEnd()
            : $"_No analysis: {bounds} is missing. Profile with `bash bench/profile-hub.sh` and write it there._");
        Line();

        return page.ToString();
    }

    private static readonly string[] Method =
    [
        "One command runs every phase in turn on the same broker; the hub and the workers run as processes of their own (this executable in its host mode, the same set-up as `hub serve` and `hub worker`), each phase on a fresh store. They log warnings and errors only: `hub serve` by default also logs every routing decision, whose CPU is not in these figures.",
        "Baselines: 1 KB persistent messages with publisher confirms through a quorum queue, published (100 unconfirmed at most) and consumed in the benchmark process.",
        "Hub throughput: PD publishes workshop captures of new customers as raw AMQP (100 unconfirmed at most); the policy copies each to OP-NORD and PAG. Timed from the first publish to the last copy read from the company queues (read by the benchmark as the hub's user; no worker runs), after a warm-up (each hub process is kept busy in closed loop for a while after its start before anything is measured: a fresh process is much slower). Hub CPU: utime + stime of the hub process from /proc over the measured captures, divided by their number.",
        "Latency: captures offered by a timer at a steady rate that waits neither for the hub nor for the broker's confirms; each capture's time is set when it is published and read back from its copies; latency is that to its last copy. A warm-up precedes the measured window. Rates are stepped up until p99 reaches 50 ms; 500/s is always measured. Measured captures are waited for up to a limit; those still missing make the percentiles at their ranks lower bounds. A backlog left after a step is purged with the hub stopped.",
        "Existing customers: the store is filled directly (BenchmarkSeed: customer saga rows, ledger and Zentrum rows in the hub's format, checked against the hub's own projection), then captures to existing customers, each in turn in a shuffled order (none comes round again before all others), closed loop. Peak RSS: VmHWM of the hub process over that phase.",
        "Hubs on PostgreSQL (issue 10): for SQLite with one hub, then one fresh PostgreSQL database each with 1, 2 and 3 hub processes: the hubs are started and counted ready once each has logged that all of them run and the 16 partition queues are divided among them; then warm-up, the closed loop of the hub throughput phase (CPU: utime + stime of every hub process, and of the PostgreSQL backends connected to that database, over the measured captures) and an open-loop window at one offered rate measured as in the latency phase.",
        "Erasures: customers captured through the hub with every company worker running (financing captures: from PD they reach OP-NORD, PAG and PFS; from PSM also PD), their deliveries drained; then one erasure request per customer, all published at once by PD; timed until the hub's ErasureCompleted event of every one was read from ops.events.",
    ];

    private static JsonNode? Round(double value) => double.IsFinite(value) ? JsonValue.Create(Math.Round(value, value >= 100 ? 0 : value >= 1 ? 2 : 3)) : null;

    private static string Format(double value) =>
        value.ToString(value >= 100 || value == Math.Round(value) ? "#,0" : value >= 1 ? "0.00" : "0.000", CultureInfo.InvariantCulture);
}

/// <summary>The circumstances of a run.</summary>
public sealed record RunInfo(bool Quick, string Command, DateTimeOffset Started, TimeSpan Duration, string Broker, double MemoryMb, string CpuModel, string LoadAtStart, string LoadAtEnd);
