using Xunit.Abstractions;

namespace IntegrationHub.IntegrationTests.Faults;

/// <summary>
/// Issue 12, fault suite: the hub killed with SIGKILL mid-stream and mid-erasure fan-out, and a
/// worker killed mid-deliveries; each restarted on its own store.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class When_a_process_is_killed_mid_stream(OwnBroker broker, ITestOutputHelper output)
{
    private const int Captures = 200;

    [Fact]
    public async Task Should_carry_out_every_confirmed_capture_exactly_once_after_the_hub_is_killed_and_restarted()
    {
        await using var world = await FaultWorld.Start(broker);
        await world.StreamThrough(Captures, () => world.UntilRouted(Captures / 4), async () =>
        {
            await world.KillHub();
            await world.StartHub();
        });
        output.WriteLine(world.Summary);
    }

    [Fact]
    public async Task Should_complete_every_erasure_fan_out_after_the_hub_is_killed_in_the_middle_of_them()
    {
        await using var world = await FaultWorld.Start(broker);
        await world.Pd.Stream(100);
        await world.AssertEveryConfirmedCaptureTookEffectExactlyOnce();

        await world.Pd.Erase(world.Pd.Confirmed.Values.Take(60));
        await Eventually.Until(async () => await world.Tombstones() >= 5, "the first erasures completed", 60);
        await world.KillHub();
        await world.StartHub();

        await world.AssertEveryConfirmedCaptureTookEffectExactlyOnce();
        output.WriteLine(world.Summary);
    }

    [Fact]
    public async Task Should_carry_out_every_confirmed_capture_exactly_once_after_a_worker_is_killed_and_restarted()
    {
        await using var world = await FaultWorld.Start(broker);
        await world.StreamThrough(Captures,
            () => Eventually.Until(async () => (await world.Store("PAG").Records()).Count >= Captures / 4, "a quarter of the captures at PAG", 60),
            async () =>
            {
                await world.KillWorker("PAG");
                await world.StartWorker("PAG");
            });
        output.WriteLine(world.Summary);
    }
}
