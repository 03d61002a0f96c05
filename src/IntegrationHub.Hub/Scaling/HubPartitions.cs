using IntegrationHub.Hub.Customers;
using IntegrationHub.Hub.Requests;
using IntegrationHub.Hub.Takeovers;
using IntegrationHub.Hub.UnitOfWork;
using IntegrationHub.Platform;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Hub.Scaling;

/// <summary>
/// With Hub:Partitioned (the default), for one hub process or several: consumes the partition queues this hub owns among
/// the living hubs (<see cref="HubMembership"/>), each as a receive endpoint with every saga and
/// consumer of the hub and the same conventions as <c>hub.inbound</c> (<see cref="HubEndpoint"/>), and
/// lets go of those it no longer owns. When a hub joins or goes, the others see it at their next beat
/// and the partitions move; a partition's single active consumer keeps its messages one at a time
/// while they do.
/// </summary>
public sealed class HubPartitions(
    HubMembership membership, PartitionsInHand inHands, PartitionConsumers consumers, IReceiveEndpointConnector connector, HubOptions options, IHostApplicationLifetime lifetime, ILogger<HubPartitions> logger)
    : BackgroundService
{
    private readonly Dictionary<int, (HostReceiveEndpointHandle Handle, PartitionInHand InHand)> _consumed = [];

    // Partitions stopped whose claim is not given up yet: something was still in hand (see Release).
    private readonly Dictionary<int, PartitionInHand> _releasing = [];

    private const int SilentBeatsBeforeRestart = 3;

    // Beats in a row at which the broker showed no consumer on a partition this hub consumes.
    private readonly int[] _silentBeats = new int[BrokerNames.HubPartitionCount];

    /// <summary>The partitions this hub consumes now.</summary>
    public IReadOnlyCollection<int> Consumed
    {
        get
        {
            lock (_consumed)
            {
                return _consumed.Keys.Order().ToList();
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Endpoints connect to the bus, which runs once every hosted service has started.
        await lifetime.WhenStarted(stoppingToken);

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var members = await membership.Beat(stoppingToken);
                await Rebalance(members, stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The store or broker is away: keep what is consumed (the broker keeps each partition to
                // one consumer) and try again at the next beat.
                logger.LogWarning("Hub membership beat failed ({Error}: {Reason}); again in {Beat}", ex.GetType().Name, ex.Message, options.MemberBeat);
            }

            await Task.Delay(options.MemberBeat, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await Release(Consumed.ToList(), cancellationToken);

        try
        {
            await membership.Leave(cancellationToken);
        }
        catch (Exception ex)
        {
            logger.LogWarning("Leaving the hub membership failed ({Error}); the row runs out", ex.GetType().Name);
        }
    }

    private async Task Rebalance(IReadOnlyList<string> members, CancellationToken cancellationToken)
    {
        var before = Consumed;
        await Release(before.Where(partition => !membership.Owns(partition)).ToList(), cancellationToken);
        for (var partition = 0; partition < BrokerNames.HubPartitionCount; partition++)
        {
            // Its former holder gives it up at its own next beat, once it has finished what it took.
            if (membership.Owns(partition) && !before.Contains(partition) && !_releasing.ContainsKey(partition) && await membership.Claim(partition, cancellationToken))
            {
                await Take(partition, cancellationToken);
            }
        }

        var after = Consumed;
        if (!after.SequenceEqual(before))
        {
            logger.LogInformation("{Hubs} hubs running; this hub consumes partitions {Partitions}", members.Count, string.Join(',', after));
        }

        await RestartSilent(after, cancellationToken);
    }

    /// <summary>
    /// Starts again the endpoint of a partition this hub consumes where the broker has shown no consumer
    /// for <see cref="SilentBeatsBeforeRestart"/> beats in a row (<see cref="PartitionConsumers"/>). The
    /// claim stays with this hub: nobody else takes the partition meanwhile, and the consumer that went
    /// took its unacknowledged messages back to the queue with its channel.
    /// </summary>
    private async Task RestartSilent(IReadOnlyCollection<int> partitions, CancellationToken cancellationToken)
    {
        foreach (var partition in partitions)
        {
            var count = await consumers.Of(BrokerNames.HubPartitionQueue(partition), cancellationToken);
            _silentBeats[partition] = count == 0 ? _silentBeats[partition] + 1 : 0;
            if (_silentBeats[partition] < SilentBeatsBeforeRestart)
            {
                continue;
            }

            logger.LogWarning("The broker has shown no consumer on {Queue} for {Beats} beats; its endpoint is started again",
                BrokerNames.HubPartitionQueue(partition), _silentBeats[partition]);
            _silentBeats[partition] = 0;
            var inHand = await StopConsuming(partition, cancellationToken);
            if (inHand is not null)
            {
                await inHand.Emptied(options.MemberBeat, cancellationToken);
                await inHand.CloseChannels(cancellationToken);
            }

            await Take(partition, cancellationToken);
        }
    }

    /// <summary>Stops a partition's endpoint: messages in hand are finished; those the broker pushed meanwhile are left unacknowledged by MassTransit until their channel closes.</summary>
    private async Task<PartitionInHand?> StopConsuming(int partition, CancellationToken cancellationToken)
    {
        (HostReceiveEndpointHandle Handle, PartitionInHand InHand) consumed;
        lock (_consumed)
        {
            if (!_consumed.Remove(partition, out consumed))
            {
                return null;
            }
        }

        // Bounded: an endpoint whose transport is stuck reconnecting must not hold up the beat for ever.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stopping.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            await consumed.Handle.StopAsync(stopping.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("The endpoint of {Queue} did not stop within 30 s", BrokerNames.HubPartitionQueue(partition));
        }

        return consumed.InHand;
    }

    private async Task Take(int partition, CancellationToken cancellationToken)
    {
        var inHand = inHands.For(partition);
        var handle = connector.ConnectReceiveEndpoint(BrokerNames.HubPartitionQueue(partition), (context, endpoint) =>
        {
            // The partition queue is fed by the sequencer only: nothing else may be bound to it.
            endpoint.ConfigureConsumeTopology = false;
            // One message at a time per partition queue: MassTransit starts the messages it holds
            // concurrently, and two of one customer started together may reach the in-process
            // partitioner in either order; taken one by one they keep the queue's order. The hub's
            // concurrency comes from the partition queues it consumes side by side.
            HubEndpoint.Configure(context, endpoint, options, concurrency: 1);
            endpoint.ConfigureSaga<CustomerState>(context);
            endpoint.ConfigureSaga<RequestState>(context);
            endpoint.ConfigureSaga<TakeoverState>(context);
            endpoint.ConfigureConsumer<RecordDealerOperatorChange>(context);
        });
        lock (_consumed)
        {
            _consumed[partition] = (handle, inHand);
        }

        await handle.Ready.WaitAsync(cancellationToken);
        logger.LogInformation("Partition {Partition} taken by process {Process}", partition, Environment.ProcessId);
    }

    private async Task Release(IReadOnlyList<int> partitions, CancellationToken cancellationToken)
    {
        foreach (var partition in partitions)
        {
            if (await StopConsuming(partition, cancellationToken) is { } inHand)
            {
                _releasing[partition] = inHand;
            }
        }

        await FinishReleasing(cancellationToken);
    }

    /// <summary>
    /// Gives up the claims of stopped partitions once nothing of theirs is in hand and their channels are
    /// closed (closed here, the broker's answer awaited), so that every message this hub took and did not
    /// acknowledge is back in the queue, ahead of the rest, before the next owner begins. A message still
    /// in hand (a retry of a busy store) keeps the claim until a later beat. The grace after the close
    /// covers the broker's side: a quorum queue takes a closed channel's messages back in its own log
    /// entry, which the next owner's consumer must not overtake.
    /// </summary>
    private async Task FinishReleasing(CancellationToken cancellationToken)
    {
        List<int> done = [];
        foreach (var (partition, inHand) in _releasing)
        {
            if (await inHand.Emptied(options.MemberBeat, cancellationToken))
            {
                await inHand.CloseChannels(cancellationToken);
                done.Add(partition);
            }
            else
            {
                logger.LogWarning("Partition {Partition} stopped with {InHand} messages still in hand; its claim is kept until they are finished", partition, inHand.Count);
            }
        }

        if (done.Count == 0)
        {
            return;
        }

        await Task.Delay(options.PartitionHandOverGrace, cancellationToken);
        foreach (var partition in done)
        {
            await membership.Unclaim(partition, cancellationToken);
            _releasing.Remove(partition);
            logger.LogInformation("Partition {Partition} given up by process {Process}", partition, Environment.ProcessId);
        }
    }
}
