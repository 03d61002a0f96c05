using Xunit.Abstractions;

namespace IntegrationHub.IntegrationTests.Faults;

/// <summary>
/// Issue 10: three hub processes on one store share hub.inbound through the partition queues; one of
/// them is killed in the middle of the stream and of an erasure fan-out, and the other two take its
/// partitions.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class When_three_hubs_share_the_stream(OwnBroker broker, ITestOutputHelper output)
{
    [Fact]
    public async Task Should_carry_out_every_confirmed_capture_and_erasure_exactly_once_while_one_hub_is_killed()
    {
        await using var world = await FaultWorld.Start(broker, hubs: 3);
        await Eventually.Until(() => Task.FromResult(Sharing(world, 3, since: 0)), "each of the three hubs consuming partitions of their own", 60);

        // The first hub started is the active consumer of hub.inbound, the one that forwards: killed,
        // a standby takes over forwarding, and the other two take its partitions.
        await world.StreamThrough(300, () => world.UntilRouted(75), async () =>
        {
            var before = world.HubOutput.Count;
            await world.KillHub(0);
            await Eventually.Until(() => Task.FromResult(Sharing(world, 2, before)), "the two hubs left taking the killed one's partitions", 60);
        });
        await world.Erase(world.Confirmed.Values.Take(60));
        await world.AssertEveryConfirmedCaptureTookEffectExactlyOnce();
        output.WriteLine(world.Summary);
    }

    // The hubs log each change of what they consume: "<n> hubs running; this hub consumes partitions …".
    private static bool Sharing(FaultWorld world, int hubs, int since) =>
        world.HubOutput.Skip(since).Count(line => line.Contains($"{hubs} hubs running; this hub consumes partitions", StringComparison.Ordinal)) >= hubs;
}
