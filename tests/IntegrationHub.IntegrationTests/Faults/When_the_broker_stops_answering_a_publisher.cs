using System.Diagnostics;
using IntegrationHub.Client;
using IntegrationHub.Contracts;
using IntegrationHub.Platform;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit.Abstractions;

namespace IntegrationHub.IntegrationTests.Faults;

/// <summary>
/// Issue 12, fault suite: the broker's VM is frozen (SIGSTOP): its sockets stay open and nothing
/// answers. A company system publishing through the .NET client gets a clear failure within the
/// client's timeout and never hangs; once the broker runs again, nothing confirmed is lost or doubled.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class When_the_broker_stops_answering_a_publisher(OwnBroker broker, ITestOutputHelper output)
{
    [Fact]
    public async Task Should_fail_clearly_within_the_client_s_timeout_and_lose_nothing_confirmed()
    {
        await using var world = await FaultWorld.Start(broker);
        var options = new HubClientOptions
        {
            Company = "PD", AttemptTimeout = TimeSpan.FromSeconds(1), TotalTimeout = TimeSpan.FromSeconds(4), Retries = 2,
            Broker = new BrokerSettings { Host = "127.0.0.1", Port = (ushort)broker.AmqpPort, Username = "pd", Password = "pd-dev" },
        };
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddHubClient(options);
        using var host = builder.Build();
        await host.StartAsync();
        var client = host.Services.GetRequiredService<HubClient>();

        for (var i = 0; i < 20; i++)
        {
            var capture = PdPublisher.Capture(Guid.NewGuid());
            await client.Capture(capture).WaitAsync(TimeSpan.FromSeconds(30));
            world.Pd.Confirmed[capture.CaptureId] = capture.CustomerId;
        }

        await broker.Freeze();
        try
        {
            var frozen = PdPublisher.Capture(Guid.NewGuid());
            world.Pd.Unconfirmed[frozen.CaptureId] = frozen.CustomerId;
            var clock = Stopwatch.StartNew();
            var failure = await Assert.ThrowsAsync<HubUnavailableException>(() => client.Capture(frozen).WaitAsync(TimeSpan.FromSeconds(30)));
            output.WriteLine($"failed after {clock.Elapsed.TotalSeconds:0.0} s: {failure.Message}");
            Assert.True(clock.Elapsed < options.TotalTimeout + TimeSpan.FromSeconds(2), $"the failure came after {clock.Elapsed}");
            Assert.Contains("publishing it again is safe", failure.Message);
        }
        finally
        {
            await broker.Thaw();
        }

        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            await host.StopAsync(stop.Token);
        }

        await world.Pd.Stream(20);
        await world.AssertEveryConfirmedCaptureTookEffectExactlyOnce();
        output.WriteLine(world.Summary);
    }
}
