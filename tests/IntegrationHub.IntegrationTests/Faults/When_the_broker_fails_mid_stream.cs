using Xunit.Abstractions;

namespace IntegrationHub.IntegrationTests.Faults;

/// <summary>
/// Issue 12, fault suite: the broker itself goes away while captures stream through the hub to the
/// workers: stopped and started again, or its Erlang VM killed with SIGKILL and the node restarted.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class When_the_broker_fails_mid_stream(OwnBroker broker, ITestOutputHelper output)
{
    private const int Captures = 200;

    [Fact]
    public async Task Should_carry_out_every_confirmed_capture_exactly_once_after_stop_app_and_start_app()
    {
        await using var world = await FaultWorld.Start(broker);
        await world.StreamThrough(Captures, () => world.UntilRouted(Captures / 4), async () =>
        {
            await broker.StopApp();
            await broker.StartApp();
        });
        output.WriteLine(world.Summary);
    }

    [Fact]
    public async Task Should_carry_out_every_confirmed_capture_exactly_once_after_the_broker_s_vm_is_killed_and_restarted()
    {
        await using var world = await FaultWorld.Start(broker);
        await world.StreamThrough(Captures, () => world.UntilRouted(Captures / 4), async () =>
        {
            await broker.Kill();
            await broker.Start();
        });
        output.WriteLine(world.Summary);
    }
}
