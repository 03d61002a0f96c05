using System.Diagnostics;
using IntegrationHub.Contracts;
using IntegrationHub.Platform;

namespace IntegrationHub.IntegrationTests;

/// <summary>
/// The hub process is killed (SIGKILL, not a graceful stop) right after committing a capture's
/// decision and before its outbox sends anything; restarted on the same store, it sends what it had
/// decided: each copy reaches its company queue exactly once. Both ways the hub takes hub.inbound:
/// through the sequencer and its partition queues (the default), and directly (Hub:Partitioned=false).
/// </summary>
[Collection(ExclusiveHubCollection.Name)]
public sealed class When_the_hub_is_killed_between_commit_and_send : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "ih-kill-" + Guid.NewGuid().ToString("N"));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Should_send_every_decided_copy_exactly_once_after_the_restart(bool partitioned)
    {
        var mode = $"--Hub:Partitioned={partitioned.ToString().ToLowerInvariant()}";
        await using var connection = await Broker.Connect("hub");
        await using var channel = await Broker.Channel(connection);
        foreach (var queue in new[] { "hub.inbound", "hub.inbound_skipped", "company.pag", "company.op-nord" })
        {
            await channel.QueuePurgeAsync(queue);
        }

        var customer = Guid.NewGuid();
        var capture = new CustomerDataCaptured
        {
            CaptureId = Guid.NewGuid(), CustomerId = customer, SourceCompany = "PD", DealerId = "PZ-HAMBURG", Context = CaptureContext.Workshop,
            Purpose = Purpose.JointCare, CapturedAt = DateTimeOffset.UtcNow,
            Data = new CategoryData { [DataCategory.VehicleHistory] = new() { ["service"] = "brakes" } },
        };

        using (var first = StartHub(mode, "--Hub:KillAfterCommitOf=CustomerDataCaptured"))
        {
            await Broker.PublishAs("pd", "inbound.customer-data-captured", capture);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            await first.WaitForExitAsync(timeout.Token);
            Assert.Equal(137, first.ExitCode);
        }

        // Killed between commit and send: the decision is in the store, nothing reached a company.
        Assert.Equal(0u, await Broker.Count(channel, "company.pag"));
        Assert.Equal(0u, await Broker.Count(channel, "company.op-nord"));

        using var second = StartHub(mode);
        try
        {
            await Eventually.Until(async () => await Broker.Count(channel, "company.pag") >= 1 && await Broker.Count(channel, "company.op-nord") >= 1,
                "the restarted hub sent the decided copies", 90);

            // A later capture of the same customer, sent after the first ones by the same outbox, is
            // the positive signal that nothing else of the first capture is still to come.
            var later = capture with { CaptureId = Guid.NewGuid(), Data = new CategoryData { [DataCategory.VehicleHistory] = new() { ["service"] = "tyres" } } };
            await Broker.PublishAs("pd", "inbound.customer-data-captured", later);
            await Eventually.Until(async () => await Broker.Count(channel, "company.pag") >= 2 && await Broker.Count(channel, "company.op-nord") >= 2,
                "the later capture's copies arrived", 60);

            foreach (var queue in new[] { "company.pag", "company.op-nord" })
            {
                var deliveries = (await Broker.Drain(channel, queue)).Select(m => System.Text.Json.JsonDocument.Parse(m.Body).RootElement.GetProperty("captureId").GetGuid()).ToList();
                Assert.Equal([capture.CaptureId, later.CaptureId], deliveries);
            }

            // The capture the killed hub had committed but not acknowledged came again: a duplicate, handled, not skipped.
            Assert.Equal(0u, await Broker.Count(channel, "hub.inbound_skipped"));
        }
        finally
        {
            second.Kill(entireProcessTree: true);
            await second.WaitForExitAsync();
        }
    }

    private Process StartHub(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = false, RedirectStandardError = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "hub.dll"));
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add($"--Hub:DatabasePath={Path.Combine(_directory, "hub.db")}");
        start.ArgumentList.Add($"--Hub:PolicyPath={Path.Combine(AppContext.BaseDirectory, "policy", "routing-policy.json")}");
        start.ArgumentList.Add($"--Hub:PartiesPath={Path.Combine(AppContext.BaseDirectory, "policy", "parties.json")}");
        start.ArgumentList.Add("--Logging:LogLevel:Default=Warning");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start)!;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}

/// <summary>Tests that run a hub process of their own; no other test's hub may consume the hub's queue meanwhile.</summary>
[CollectionDefinition(Name)]
public sealed class ExclusiveHubCollection
{
    public const string Name = "a hub process of its own";
}
