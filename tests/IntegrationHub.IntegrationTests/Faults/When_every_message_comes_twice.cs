using Xunit.Abstractions;

namespace IntegrationHub.IntegrationTests.Faults;

/// <summary>
/// Issue 12, fault suite: every capture reaches the hub twice, every delivery reaches its worker
/// twice, every erasure request reaches the hub twice and every erasure command its worker twice.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class When_every_message_comes_twice(OwnBroker broker, ITestOutputHelper output)
{
    [Fact]
    public async Task Should_carry_out_each_capture_and_each_erasure_exactly_once()
    {
        await using var world = await FaultWorld.Start(broker, workers: false);
        await world.Pd.Stream(100, times: 2);
        await world.UntilQueued(100);
        await world.DeliverEverythingTwice();
        await world.StartWorkers();
        await world.AssertEveryConfirmedCaptureTookEffectExactlyOnce();

        await world.StopWorkers();
        await world.Pd.Erase(world.Pd.Confirmed.Values.Take(30), times: 2);
        await world.UntilQueued(30);
        await world.DeliverEverythingTwice();
        await world.StartWorkers();
        await world.AssertEveryConfirmedCaptureTookEffectExactlyOnce();
        output.WriteLine(world.Summary);
    }
}
