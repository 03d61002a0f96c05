using System.Text;
using IntegrationHub.Hub.Persistence;
using IntegrationHub.Platform;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;

namespace IntegrationHub.Hub.Customers;

/// <summary>
/// Erasure reaches the hub's own parking places too (Art. 17 GDPR): messages of an erased customer
/// that were refused (error queue), had no handler (skipped queue) or exceeded the delivery limit
/// (dead-letter queue, which also holds copies from company queues) are removed; all others are put
/// back unchanged. Runs against RabbitMQ with the hub's login.
/// </summary>
public sealed class ParkedCopyScrubber(
    IServiceScopeFactory scopes, BrokerSettings broker, TimeProvider clock, ILogger<ParkedCopyScrubber> logger, Scaling.HubMembership? membership = null)
    : BackgroundService
{
    /// <summary>Each parking queue and the exchange that leads into it, for putting other messages back.</summary>
    private static readonly (string Queue, string Exchange)[] ParkingQueues =
    [
        (BrokerNames.HubInboundQueue + "_error", BrokerNames.HubInboundQueue + "_error"),
        (BrokerNames.HubInboundQueue + "_skipped", BrokerNames.HubInboundQueue + "_skipped"),
        (BrokerNames.DeadLetterExchange, BrokerNames.DeadLetterExchange),
    ];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // One of several hubs scrubs for all: two would take the same parked messages in turn.
                if (membership?.IsLeader ?? true)
                {
                    await ScrubPending(stoppingToken);
                }

                await Task.Delay(TimeSpan.FromSeconds(5), clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Scrubbing parked copies failed; trying again");
                await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
            }
        }
    }

    /// <summary>Scrubs the parking queues of every erased customer waiting for it; returns how many copies were removed.</summary>
    public async Task<int> ScrubPending(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var pending = await db.PendingScrubs.ToListAsync(cancellationToken);
        if (pending.Count == 0)
        {
            return 0;
        }

        var ids = pending.Select(p => p.CustomerId.ToString("D")).ToList();
        await using var connection = await broker.Connect("hub-parked-copy-scrubber", cancellationToken);
        await using var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);

        var removed = 0;
        foreach (var (queue, exchange) in ParkingQueues)
        {
            removed += await ScrubQueue(channel, queue, exchange, ids, cancellationToken);
        }

        db.PendingScrubs.RemoveRange(pending);
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Scrubbed parking queues for {Customers} erased customers: {Removed} parked copies removed", pending.Count, removed);
        return removed;
    }

    // Looks at each message that was there when the scan began exactly once: a copy of an erased
    // customer is acknowledged away, any other is published back (confirmed) before its original is
    // acknowledged, so nothing else is lost. The hub's user may keep a foreign user_id (impersonator).
    private static async Task<int> ScrubQueue(IChannel channel, string queue, string exchange, List<string> ids, CancellationToken cancellationToken)
    {
        var count = (await channel.QueueDeclarePassiveAsync(queue, cancellationToken)).MessageCount;
        var removed = 0;
        for (var i = 0; i < count; i++)
        {
            var message = await channel.BasicGetAsync(queue, autoAck: false, cancellationToken);
            if (message is null)
            {
                break;
            }

            // Any mention of the id counts, in any case: other languages may write UUIDs upper-case.
            var body = Encoding.UTF8.GetString(message.Body.Span);
            if (!ids.Any(id => body.Contains(id, StringComparison.OrdinalIgnoreCase)))
            {
                var properties = new BasicProperties(message.BasicProperties);
                await channel.BasicPublishAsync(exchange, message.RoutingKey, mandatory: false, properties, message.Body, cancellationToken);
            }
            else
            {
                removed++;
            }

            await channel.BasicAckAsync(message.DeliveryTag, multiple: false, cancellationToken);
        }

        return removed;
    }
}
