using System.Net;
using IntegrationHub.Contracts;

namespace IntegrationHub.IntegrationTests;

/// <summary>
/// `hub serve` started while nothing listens at the broker's address keeps trying, one line per attempt
/// naming the address and the reason, with a growing wait and no stack trace; when the broker is there
/// (a relay opened on that port) it starts, becomes ready and routes a capture.
/// </summary>
[Collection(ExclusiveHubCollection.Name)]
public sealed class When_the_hub_starts_before_the_broker : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("ih-serve-").FullName;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };

    [Fact]
    public async Task Should_log_one_line_per_attempt_and_route_once_the_broker_answers()
    {
        await using (var connection = await Broker.Connect("hub"))
        await using (var channel = await Broker.Channel(connection))
        {
            await channel.QueuePurgeAsync("hub.inbound");
            await channel.QueuePurgeAsync("company.op-nord");
        }

        using var relay = new BrokerRelay();
        relay.Cut();
        var address = relay.Url["amqp://".Length..];
        var port = BrokerRelay.FreePort();
        await using var hub = RunningHubCommand.Start(new Dictionary<string, string> { ["RABBITMQ_URL"] = relay.Url },
            "serve", $"--Hub:DatabasePath={Path.Combine(_directory, "hub.db")}", $"--Ops:Port={port}",
            $"--Hub:PolicyPath={Path.Combine(AppContext.BaseDirectory, "policy", "routing-policy.json")}",
            $"--Hub:PartiesPath={Path.Combine(AppContext.BaseDirectory, "policy", "parties.json")}");
        await hub.UntilLines(l => l.Contains("cannot reach RabbitMQ at"), 2, TimeSpan.FromSeconds(60));

        // Nothing but the attempts so far: no "Application started", no stack trace.
        var attempts = hub.Lines;
        Assert.All(attempts, l => Assert.Contains($"cannot reach RabbitMQ at {address} (vhost integration-hub) as user hub: connection refused at {address}", l));
        Assert.Contains("attempt 1, again in 2 s", attempts[0]);
        Assert.Contains("attempt 2, again in 4 s", attempts[1]);

        Assert.False(hub.HasExited, "the hub gave up instead of waiting for the broker");
        relay.Restore();
        await Eventually.Until(async () => await Ready(port), "the hub ready once the broker answers", seconds: 60);

        var capture = new CustomerDataCaptured
        {
            CaptureId = Guid.NewGuid(), CustomerId = Guid.NewGuid(), SourceCompany = "PD", DealerId = "PZ-HAMBURG", Context = CaptureContext.Workshop,
            Purpose = Purpose.JointCare, CapturedAt = DateTimeOffset.UtcNow,
            Data = new CategoryData { [DataCategory.VehicleHistory] = new() { ["service"] = "brakes" } },
        };
        await Broker.PublishAs("pd", "inbound.customer-data-captured", capture);
        await using var reader = await Broker.Connect("hub");
        await using var queues = await Broker.Channel(reader);
        await Eventually.Until(async () => await Broker.Count(queues, "company.op-nord") == 1, "the capture routed to OP-NORD");
        await queues.QueuePurgeAsync("company.op-nord");
        Assert.Contains(hub.Lines, l => l.Contains($"RabbitMQ at {address} answers; starting the hub"));
        Assert.DoesNotContain(hub.Lines, l => l.StartsWith(' ') || l.StartsWith('\t'));
    }

    private async Task<bool> Ready(int port)
    {
        try
        {
            using var response = await _http.GetAsync($"http://127.0.0.1:{port}/health/ready");
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
