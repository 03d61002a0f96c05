using System.Diagnostics;
using Xunit.Abstractions;

namespace IntegrationHub.IntegrationTests.Faults;

/// <summary>
/// Issue 10: on a three-node cluster, the Erlang VM of the node the hub is connected to is killed
/// (SIGKILL) while PD streams captures and an erasure fan-out runs. The hub and the workers, given
/// all three addresses, go on with the surviving nodes without a restart; the quorum queues keep
/// everything confirmed.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class When_a_cluster_node_is_lost(BrokerCluster cluster, ITestOutputHelper output)
{
    private const int Customers = 100;
    private const int Captures = 400;

    /// <summary>Captures in rounds of ten until the signal (or its timeout), then <see cref="Captures"/> / 2 more.</summary>
    private static async Task StreamUntilAndAfter(FaultWorld world, Task signal)
    {
        while (!signal.IsCompleted)
        {
            await world.Pd.Stream(10);
        }

        await world.Pd.Stream(Captures / 2);
    }

    // The hub runs with its partition queues (Hub:Partitioned): hub.inbound is read by the sequencer,
    // which reconnects on its own, and the hub starts again a partition endpoint whose consumer the
    // broker no longer shows. Consuming hub.inbound through MassTransit directly, 1 of 12 runs on
    // 2026-11-30 failed: the hub's connection came back 27 s after the kill, its hub.inbound consumer never did.
    // With the partition queues it passed in 14 of 14 runs on 2026-12-07 (the watchdog restarted no endpoint in the two runs that counted).
    [Fact]
    public async Task Should_lose_nothing_confirmed_store_nothing_twice_and_complete_every_fan_out_when_the_hub_s_node_is_killed()
    {
        output.WriteLine($"cluster formed by start-cluster.sh in {cluster.StartTime.TotalSeconds:0.0} s");
        Assert.All(await cluster.QuorumMembers(), queue => Assert.True(queue.Value.SequenceEqual(cluster.Nodes.Order()), $"{queue.Key} has members {string.Join(",", queue.Value)}"));

        var clock = Stopwatch.StartNew();
        await using var world = await FaultWorld.Start(cluster);
        try
        {
            await KillTheHubsNodeMidStream(world, clock);
        }
        catch (Exception)
        {
            // The processes' output and the cluster's state as the case failed, for whoever reads the failure.
            var folder = Path.Combine(Path.GetTempPath(), $"ih-cluster-failure-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
            world.WriteOutput(folder);
            await cluster.WriteState(folder);
            output.WriteLine($"the processes' output, the nodes' logs and the cluster's queues, consumers and channels are in {folder}");
            throw;
        }
    }

    private async Task KillTheHubsNodeMidStream(FaultWorld world, Stopwatch clock)
    {
        var processes = new[] { world.HubProcessId }.Concat(FaultWorld.Holders.Select(world.WorkerProcessId)).ToList();
        await world.Pd.Stream(Customers);
        await world.AssertEveryConfirmedCaptureTookEffectExactlyOnce();
        var erased = world.Pd.Confirmed.Values.ToList();

        // A stream of captures and the erasure of every customer so far, and in the middle of both the hub's node goes.
        // The stream goes on until the node is gone, however long the fan-out takes to get under way on a busy machine
        // (a fixed number of captures ran out before the kill in one run), and then for 200 captures more; three minutes at most.
        var killed = new TaskCompletionSource();
        var stream = StreamUntilAndAfter(world, killed.Task.WaitAsync(TimeSpan.FromMinutes(3)));
        await world.UntilRouted(Customers + Captures / 10);
        await world.Pd.Erase(erased);
        await Eventually.Until(async () => await world.Tombstones() > 0, "the erasure fan-out under way", 60);
        var hubConnection = $"hub@{Environment.MachineName}/{world.HubProcessId}";
        var node = await cluster.NodeOf(hubConnection) ?? throw new InvalidOperationException("the hub has no connection");
        // Every process is given the nodes in one order and starts at the first: the workers' buses and receivers go down with the hub's node.
        var receivers = FaultWorld.Holders.Select(h => $"worker-{h.ToLowerInvariant()}@{Environment.MachineName}/{world.WorkerProcessId(h)}/receive").ToList();
        foreach (var receiver in receivers)
        {
            Assert.Equal(node, await cluster.NodeOf(receiver));
        }

        var (routedBefore, erasedBefore) = (await world.Routed(), await world.Tombstones());
        await cluster.Kill(node);
        killed.SetResult();
        output.WriteLine($"killed {node} (the hub's) after {clock.Elapsed.TotalSeconds:0.0} s, with {routedBefore} captures routed and {erasedBefore} of {erased.Count} erasures done");
        Assert.True(erasedBefore < erased.Count, "the erasure fan-out ended before the node was killed");

        // The hub reconnects to a surviving node, as the same process.
        var reconnected = await Eventually.Until(() => cluster.NodeOf(hubConnection), n => n is not null && n != node, "the hub connected to a surviving node", 60);
        output.WriteLine($"the hub reconnected to {reconnected} after {clock.Elapsed.TotalSeconds:0.0} s");
        await stream.WaitAsync(TimeSpan.FromSeconds(150));
        await world.AssertEveryConfirmedCaptureTookEffectExactlyOnce(seconds: 120);

        Assert.Equal(processes, new[] { world.HubProcessId }.Concat(FaultWorld.Holders.Select(world.WorkerProcessId)));
        Assert.All(processes, pid => Assert.False(Process.GetProcessById(pid).HasExited, $"process {pid} exited"));
        var restarted = world.HubOutput.Count(line => line.Contains("its endpoint is started again", StringComparison.Ordinal));
        output.WriteLine($"{world.Summary}; partition endpoints started again by the hub's watchdog: {restarted}; settled after {clock.Elapsed.TotalSeconds:0.0} s");
    }
}
