using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using IntegrationHub.Platform;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace IntegrationHub.Ops;

/// <summary>
/// Queue depths, rates and consumers of the hub's vhost from RabbitMQ's management API, with the
/// <c>ops</c> user (tag monitoring: it sees every queue's figures and reads no message). Each call is
/// bounded and retried once, so a slow broker makes a page say so instead of hanging. In a cluster every
/// node's API shows the whole cluster: a node that does not answer is passed over for the next
/// (<see cref="BrokerSettings.ManagementNodes"/>), and the one that answered last is asked first.
/// </summary>
public sealed class QueueMonitor(HttpClient http, BrokerSettings broker)
{
    private int _answering;

    private static readonly ResiliencePipeline Pipeline = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions { MaxRetryAttempts = 1, Delay = TimeSpan.FromMilliseconds(300), ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>().Handle<TimeoutRejectedException>() })
        .AddTimeout(TimeSpan.FromSeconds(5))
        .Build();

    public static void Configure(HttpClient http, BrokerSettings broker)
    {
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{broker.Username}:{broker.Password}")));
    }

    public async Task<IReadOnlyList<QueueFigures>> Queues(CancellationToken cancellationToken)
    {
        using var document = await Get($"queues/{Uri.EscapeDataString(broker.VirtualHost)}", cancellationToken);
        return document.RootElement.EnumerateArray().Select(queue =>
        {
            var messages = Number(queue, "messages");
            var consumers = (int)Number(queue, "consumers");
            return new QueueFigures(queue.GetProperty("name").GetString()!, Text(queue, "type"), (long)messages, (long)Number(queue, "messages_ready"),
                (long)Number(queue, "messages_unacknowledged"), consumers, Rate(queue, "publish_details"), Rate(queue, "deliver_get_details"),
                Stranded: messages > 0 && consumers == 0 && !ParkingQueues.IsParking(queue.GetProperty("name").GetString()!));
        }).OrderBy(q => q.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Publish and deliver rates over the last ten minutes, from the broker's own samples. Of the whole
    /// broker: a vhost's samples are for administrators only, and the hub's broker serves this vhost alone.
    /// </summary>
    public async Task<IReadOnlyList<RatePoint>> Rates(CancellationToken cancellationToken)
    {
        using var document = await Get("overview?msg_rates_age=600&msg_rates_incr=10", cancellationToken);
        if (!document.RootElement.TryGetProperty("message_stats", out var stats))
        {
            return [];
        }

        var published = Samples(stats, "publish_details");
        var delivered = Samples(stats, "deliver_get_details");
        return published.Keys.Union(delivered.Keys).Order()
            .Select(at => new RatePoint(DateTimeOffset.FromUnixTimeMilliseconds(at), published.GetValueOrDefault(at), delivered.GetValueOrDefault(at)))
            .ToList();
    }

    private async Task<JsonDocument> Get(string path, CancellationToken cancellationToken)
    {
        var nodes = broker.ManagementNodes;
        for (var tried = 0; ; tried++)
        {
            var node = (_answering + tried) % nodes.Count;
            var address = new Uri($"http://{nodes[node].Host}:{nodes[node].Port}/api/{path}");
            try
            {
                var document = await Pipeline.ExecuteAsync(async token =>
                {
                    using var answer = await http.GetAsync(address, token);
                    answer.EnsureSuccessStatusCode();
                    return await JsonDocument.ParseAsync(await answer.Content.ReadAsStreamAsync(token), cancellationToken: token);
                }, cancellationToken);
                _answering = node;
                return document;
            }
            catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException && tried < nodes.Count - 1)
            {
                // This node is down or unreachable: the next one shows the same cluster.
            }
        }
    }

    // The samples are running totals, newest first: the rate is the difference over the time between two.
    private static Dictionary<long, double> Samples(JsonElement stats, string name)
    {
        if (!stats.TryGetProperty(name, out var details) || !details.TryGetProperty("samples", out var samples))
        {
            return [];
        }

        var points = samples.EnumerateArray().Select(s => (At: s.GetProperty("timestamp").GetInt64(), Total: s.GetProperty("sample").GetDouble()))
            .OrderBy(s => s.At).ToList();
        return points.Zip(points.Skip(1)).ToDictionary(pair => pair.Second.At,
            pair => Math.Max(0, (pair.Second.Total - pair.First.Total) * 1000 / Math.Max(1, pair.Second.At - pair.First.At)));
    }

    private static double Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : 0;

    private static string Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    private static double Rate(JsonElement queue, string name) =>
        queue.TryGetProperty("message_stats", out var stats) && stats.TryGetProperty(name, out var details) ? Number(details, "rate") : 0;
}

/// <param name="Stranded">Messages wait and nobody consumes: a worker or the hub has stopped taking its queue.</param>
public sealed record QueueFigures(
    string Name, string Type, long Messages, long Ready, long Unacknowledged, int Consumers, double PublishRate, double DeliverRate, bool Stranded);

public sealed record RatePoint(DateTimeOffset At, double Published, double Delivered);
