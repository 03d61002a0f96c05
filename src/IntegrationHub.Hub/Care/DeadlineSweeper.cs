using IntegrationHub.Hub.Persistence;
using IntegrationHub.Platform;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Hub.Care;

/// <summary>
/// Drives the fan-outs' deadlines. RabbitMQ 3.10 here has no delayed-message plugin, so deadlines
/// are rows in SQLite (projected from the sagas, so they survive restarts) and this sweeper, reading
/// <see cref="TimeProvider"/> so tests can move time, reminds the customer's saga of each one due.
/// A deadline stays due until the saga has escalated it, so a lost reminder is sent again.
/// </summary>
public sealed class DeadlineSweeper(IServiceScopeFactory scopes, HubOptions options, TimeProvider clock, ILogger<DeadlineSweeper> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.DeadlineSweepInterval, clock, stoppingToken);
                await SweepOnce(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Deadline sweep failed; trying again next round");
            }
        }
    }

    /// <summary>Sends a reminder for every deadline due now; returns how many.</summary>
    public async Task<int> SweepOnce(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();

        // Dealer takeovers whose time has come start here too: announced ahead, they begin on time.
        await scope.ServiceProvider.GetRequiredService<DealerTakeover>().StartDue(cancellationToken);
        var now = clock.GetUtcNow();
        var due = await db.Deadlines.AsNoTracking().Where(d => d.DueAt <= now).OrderBy(d => d.DueAt).Take(1000).ToListAsync(cancellationToken);
        if (due.Count == 0)
        {
            return 0;
        }

        var hub = await scope.ServiceProvider.GetRequiredService<IBus>().GetSendEndpoint(BrokerNames.HubAddress);
        foreach (var deadline in due)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(15));
            await hub.Send(new DeadlineReached
            {
                ReminderId = Guid.NewGuid(),
                CustomerId = deadline.CustomerId, RequestId = deadline.RequestId, Company = deadline.Company, DueAt = deadline.DueAt,
            }, timeout.Token);
        }

        logger.LogInformation("{Count} deadlines due; reminders sent", due.Count);
        return due.Count;
    }
}
