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
    HubMembership membership, IReceiveEndpointConnector connector, HubOptions options, IHostApplicationLifetime lifetime, ILogger<HubPartitions> logger)
    : BackgroundService
{
    private readonly Dictionary<int, HostReceiveEndpointHandle> _consumed = [];

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
            if (membership.Owns(partition) && !before.Contains(partition) && await membership.Claim(partition, cancellationToken))
            {
                await Take(partition, cancellationToken);
            }
        }

        var after = Consumed;
        if (!after.SequenceEqual(before))
        {
            logger.LogInformation("{Hubs} hubs running; this hub consumes partitions {Partitions}", members.Count, string.Join(',', after));
        }
    }

    private async Task Take(int partition, CancellationToken cancellationToken)
    {
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
            _consumed[partition] = handle;
        }

        await handle.Ready.WaitAsync(cancellationToken);
    }

    private async Task Release(IReadOnlyList<int> partitions, CancellationToken cancellationToken)
    {
        if (partitions.Count == 0)
        {
            return;
        }

        foreach (var partition in partitions)
        {
            HostReceiveEndpointHandle? handle;
            lock (_consumed)
            {
                _consumed.Remove(partition, out handle);
            }

            // Messages in hand are finished and acknowledged, those taken and not begun go back to the queue.
            if (handle is not null)
            {
                await handle.StopAsync(cancellationToken);
            }
        }

        // Only then may the next owner claim them. MassTransit's stop returns once its consumer
        // finished, but a message the broker pushed meanwhile is left unacknowledged and goes back to
        // the queue only when the endpoint's channel closes, which may be a moment later: the claims are
        // given up after a grace period. Not yet enough: a third hub joining mid-stream still saw a
        // customer's capture handled before its consent in 1 of 3 runs with it (2 of 3 without); the
        // hand-over is not order-safe yet (When_three_hubs_share_the_stream, the skipped case).
        await Task.Delay(options.PartitionHandOverGrace, cancellationToken);
        foreach (var partition in partitions)
        {
            await membership.Unclaim(partition, cancellationToken);
        }
    }
}
