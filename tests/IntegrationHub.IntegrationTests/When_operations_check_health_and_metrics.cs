using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using IntegrationHub.Contracts;

namespace IntegrationHub.IntegrationTests;

/// <summary>
/// The operations endpoint of `hub serve` and `hub worker` (--Ops:Port): readiness follows the broker
/// connection and the worker's consumer, and the hub's metrics count what it routed, under the names
/// the Grafana dashboard of the compose deployment queries.
/// </summary>
[Collection(ExclusiveHubCollection.Name)]
public sealed partial class When_operations_check_health_and_metrics : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("ih-ops-").FullName;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };

    [Fact]
    public async Task Should_report_a_worker_unready_while_its_consumer_is_detached_and_ready_again_after()
    {
        using var relay = new BrokerRelay();
        var port = BrokerRelay.FreePort();
        using var worker = Start(relay.Url, "worker", "PAG", $"--Worker:DatabasePath={Path.Combine(_directory, "pag.db")}", $"--Ops:Port={port}");

        var ready = await Readiness(port, HttpStatusCode.OK);
        Assert.Contains("consuming company.pag", ready);
        Assert.Contains("store writable", ready);

        relay.Cut();
        var unready = await Readiness(port, HttpStatusCode.ServiceUnavailable);
        Assert.Contains("not consuming company.pag", unready);

        relay.Restore();
        Assert.Contains("consuming company.pag", await Readiness(port, HttpStatusCode.OK));
    }

    [Fact]
    public async Task Should_count_a_routed_capture_under_the_names_the_dashboard_queries()
    {
        await using (var connection = await Broker.Connect("hub"))
        await using (var channel = await Broker.Channel(connection))
        {
            await channel.QueuePurgeAsync("hub.inbound");
        }

        using var relay = new BrokerRelay();
        var port = BrokerRelay.FreePort();
        using var hub = Start(relay.Url, "serve", $"--Hub:DatabasePath={Path.Combine(_directory, "hub.db")}", $"--Ops:Port={port}", "--Hub:MetricsInterval=00:00:00.500",
            $"--Hub:PolicyPath={Path.Combine(AppContext.BaseDirectory, "policy", "routing-policy.json")}",
            $"--Hub:PartiesPath={Path.Combine(AppContext.BaseDirectory, "policy", "parties.json")}");
        await Readiness(port, HttpStatusCode.OK);

        var capture = new CustomerDataCaptured
        {
            CaptureId = Guid.NewGuid(), CustomerId = Guid.NewGuid(), SourceCompany = "PD", DealerId = "PZ-HAMBURG", Context = CaptureContext.Workshop,
            Purpose = Purpose.JointCare, CapturedAt = DateTimeOffset.UtcNow,
            Data = new CategoryData { [DataCategory.VehicleHistory] = new() { ["service"] = "brakes" }, [DataCategory.CreditBank] = new() { ["iban"] = "DE00" } },
        };
        await Broker.PublishAs("pd", "inbound.customer-data-captured", capture);

        // Nobody holds data of a customer the hub never saw: the request is done at once and its duration recorded.
        await Broker.PublishAs("pd", "inbound.access-requested",
            new AccessRequested { RequestId = Guid.NewGuid(), CustomerId = Guid.NewGuid(), ReceivedBy = "PD", ReceivedAt = DateTimeOffset.UtcNow });

        var metrics = await Eventually.Until(Scrape(port), m => Value(m, "hub_captures_routed_total") == 1 && Value(m, "hub_request_duration_seconds_count") == 1,
            "the capture and the request counted");
        Assert.Equal(1, Value(metrics, "hub_deliveries_total", "company=\"PAG\""));
        Assert.Equal(1, Value(metrics, "hub_deliveries_total", "company=\"OP-NORD\""));
        Assert.Equal(1, Value(metrics, "hub_drops_total", "company=\"PAG\",reason=\"NoOperationalNeed\""));
        Assert.Equal(0, Value(metrics, "hub_outbox_parked"));

        // Where the capture's time went (HubTimings) and what paused the process (RuntimePauses).
        metrics = await Eventually.Until(Scrape(port), m => Value(m, "hub_capture_age_at_start_seconds_count") == 1 && Value(m, "runtime_threadpool_delay_seconds_count") > 0,
            "the capture's timings and the thread-pool probe recorded");
        Assert.True(Value(metrics, "hub_writer_commit_seconds_count") >= 2, "the capture's and the request's commits timed");
        Assert.True(Value(metrics, "hub_writer_group_size_count") >= 2, "their group sizes recorded");
        Assert.True(Value(metrics, "hub_outbox_send_seconds_count") >= 2, "the capture's two copies' sends timed");
        Assert.Equal(1, Value(metrics, "hub_message_partition_wait_seconds_count", "message=\"CustomerDataCaptured\""));

        var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "grafana", "integration-hub.json")));
        var queried = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(panel => panel.GetProperty("targets").EnumerateArray())
            .SelectMany(target => MetricName().Matches(target.GetProperty("expr").GetString()!).Select(m => m.Value))
            .Distinct().ToList();
        Assert.Contains("hub_captures_routed_total", queried);
        Assert.All(queried.Where(name => name.StartsWith("hub_")), name => Assert.Matches($@"(?m)^{name}[{{ ]", metrics));

        relay.Cut();
        Assert.Contains("masstransit-bus", await Readiness(port, HttpStatusCode.ServiceUnavailable));

        await using (var connection = await Broker.Connect("hub"))
        await using (var channel = await Broker.Channel(connection))
        {
            await channel.QueuePurgeAsync("company.pag");
            await channel.QueuePurgeAsync("company.op-nord");
        }
    }

    private Task<string> Readiness(int port, HttpStatusCode wanted) =>
        Eventually.Until(async () =>
        {
            try
            {
                using var response = await _http.GetAsync($"http://127.0.0.1:{port}/health/ready");
                return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
            }
            catch (HttpRequestException)
            {
                return (StatusCode: (HttpStatusCode)0, Body: "");
            }
        }, r => r.StatusCode == wanted, $"readiness {(int)wanted} on port {port}", seconds: 60).ContinueWith(t => t.Result.Body);

    private Func<Task<string>> Scrape(int port) => () => _http.GetStringAsync($"http://127.0.0.1:{port}/metrics");

    /// <summary>The sum of a metric's samples whose labels contain <paramref name="labels"/>; 0 when it has none.</summary>
    private static double Value(string metrics, string name, string labels = "") =>
        metrics.Split('\n').Where(line => line.StartsWith(name + "{") || line.StartsWith(name + " "))
            .Where(line => line.Contains(labels))
            .Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));

    private static Started Start(string brokerUrl, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "hub.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add("--Logging:LogLevel:Default=Warning");
        start.Environment["RABBITMQ_URL"] = brokerUrl;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new Started(process);
    }

    private sealed class Started(Process process) : IDisposable
    {
        public void Dispose()
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            process.Dispose();
        }
    }

    [GeneratedRegex(@"\b(hub|messaging_masstransit)_[a-z_]+\b")]
    private static partial Regex MetricName();

    public void Dispose()
    {
        _http.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
