using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace IntegrationHub.Benchmarks;

/// <summary>
/// Where a capture's time goes inside the hub during one offered rate: the hub's own histograms
/// (Operations/HubTimings, Platform's RuntimePauses) read from its /metrics before and after the measured
/// window, the difference taken bucket by bucket, percentiles interpolated within a bucket.
/// </summary>
public static class HubStages
{
    /// <summary>The stages in the order a capture passes them: metric, what it is, whether it counts messages rather than seconds.</summary>
    public static readonly (string Metric, string Label, string What, bool Count)[] Layout =
    [
        ("hub_capture_age_at_start", "", "publish → its unit of work starts (broker, prefetch, partition)", false),
        ("hub_message_partition_wait", "message=\"CustomerDataCaptured\"", "of which receipt from the broker → unit of work starts (partition, concurrency limit)", false),
        ("hub_writer_wait", "", "unit of work queued → started by the writer (every unit, dispatcher's included)", false),
        ("hub_writer_duration", "", "unit of work queued → its group committed", false),
        ("hub_writer_commit", "", "commit of one group (fsync, synchronous=FULL)", false),
        ("hub_writer_group_size", "", "units of work per group", true),
        ("hub_outbox_wait", "", "outbox row written → read by the dispatcher", false),
        ("hub_outbox_send", "", "send → broker's confirm", false),
        ("hub_outbox_age_at_confirm", "", "outbox row written → confirmed", false),
        ("hub_outbox_round", "", "dispatcher round (read, send all, record)", false),
        ("hub_outbox_round_size", "", "rows per dispatcher round", true),
        ("runtime_gc_pause", "", "GC pause (each)", false),
        ("runtime_threadpool_delay", "", "thread-pool queueing delay (probe every 100 ms)", false),
    ];

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Every histogram series of the scrape: bucket upper bounds with cumulative counts, and the sum.</summary>
    public sealed record Snapshot(Dictionary<string, SortedDictionary<double, double>> Buckets, Dictionary<string, double> Sums);

    public static async Task<Snapshot?> Read(int port)
    {
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            return Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/metrics"));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>The Prometheus text format: <c>name_bucket{labels,le="x"} count</c>; series keyed by name and labels without le and the scope's.</summary>
    public static Snapshot Parse(string text)
    {
        var buckets = new Dictionary<string, SortedDictionary<double, double>>();
        var sums = new Dictionary<string, double>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var brace = line.IndexOf('{');
            var close = line.LastIndexOf('}');
            var name = brace < 0 ? line[..line.IndexOf(' ')] : line[..brace];
            var labels = brace < 0 ? [] : line[(brace + 1)..close].Split(',').Where(l => l.Length > 0 && !l.StartsWith("otel_scope", StringComparison.Ordinal)).ToList();
            var rest = (brace < 0 ? line[name.Length..] : line[(close + 1)..]).Trim().Split(' ');
            if (!double.TryParse(rest[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                continue;
            }

            if (name.EndsWith("_bucket", StringComparison.Ordinal))
            {
                var le = labels.First(l => l.StartsWith("le=", StringComparison.Ordinal));
                var bound = le[4..^1] == "+Inf" ? double.PositiveInfinity : double.Parse(le[4..^1], CultureInfo.InvariantCulture);
                var key = Key(name[..^"_bucket".Length], labels.Where(l => l != le));
                (buckets.TryGetValue(key, out var series) ? series : buckets[key] = [])[bound] = value;
            }
            else if (name.EndsWith("_sum", StringComparison.Ordinal))
            {
                sums[Key(name[..^"_sum".Length], labels)] = value;
            }
        }

        return new Snapshot(buckets, sums);
    }

    private static string Key(string name, IEnumerable<string> labels) => name + "{" + string.Join(",", labels.Order()) + "}";

    /// <summary>One stage over the window: how many were recorded, p50, p99 and the mean (ms, or counts).</summary>
    public sealed record Stage(string Metric, string What, bool IsCount, double Recorded, double P50, double P99, double Mean, double Total);

    public static List<Stage> Between(Snapshot before, Snapshot after)
    {
        var stages = new List<Stage>();
        foreach (var (metric, label, what, isCount) in Layout)
        {
            // A unit suffix may follow the name (_seconds); the message label, when asked for, must match.
            var key = after.Buckets.Keys.FirstOrDefault(k => (k.StartsWith(metric + "{", StringComparison.Ordinal) || k.StartsWith(metric + "_seconds{", StringComparison.Ordinal)) &&
                                                            (label.Length == 0 ? !k.Contains("message=", StringComparison.Ordinal) : k.Contains(label, StringComparison.Ordinal)));
            if (key is null)
            {
                continue;
            }

            var end = after.Buckets[key];
            var start = before.Buckets.GetValueOrDefault(key);
            var diff = end.Select(b => (Bound: b.Key, Count: b.Value - (start?.GetValueOrDefault(b.Key) ?? 0))).ToList();
            var total = diff[^1].Count;
            if (total <= 0)
            {
                continue;
            }

            var sum = after.Sums.GetValueOrDefault(key) - before.Sums.GetValueOrDefault(key);
            var scale = isCount ? 1 : 1000;
            stages.Add(new Stage(metric, what, isCount, total, Quantile(diff, total, 0.50) * scale, Quantile(diff, total, 0.99) * scale, sum / total * scale, sum * scale));
        }

        return stages;
    }

    // Linear within the bucket that holds the rank; above the last finite bound, that bound (a lower bound).
    private static double Quantile(List<(double Bound, double Count)> cumulative, double total, double q)
    {
        var rank = q * total;
        var lower = 0.0;
        var below = 0.0;
        foreach (var (bound, count) in cumulative)
        {
            if (count >= rank)
            {
                if (double.IsPositiveInfinity(bound))
                {
                    return lower;
                }

                return count == below ? bound : lower + (bound - lower) * (rank - below) / (count - below);
            }

            lower = bound;
            below = count;
        }

        return lower;
    }

    public static JsonArray Json(IEnumerable<Stage> stages) => new(stages.Select(s => (JsonNode?)new JsonObject
    {
        ["metric"] = s.Metric, ["stage"] = s.What, ["unit"] = s.IsCount ? "count" : "ms", ["recorded"] = s.Recorded,
        ["p50"] = Math.Round(s.P50, 2), ["p99"] = Math.Round(s.P99, 2), ["mean"] = Math.Round(s.Mean, 2),
    }).ToArray());
}
