using IntegrationHub.Contracts;
using IntegrationHub.Hub.Audit;
using IntegrationHub.Hub.Messages;
using IntegrationHub.Hub.Persistence;
using IntegrationHub.Platform;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Hub.Deadlines;

/// <summary>
/// Drives what is due by time. RabbitMQ 3.10 here has no delayed-message plugin, so deadlines are rows
/// in SQLite (projected from the request and takeover sagas, so they survive restarts) and this
/// sweeper, reading <see cref="TimeProvider"/> so tests can move time, reminds the saga of each one
/// due. A deadline stays due until the saga has escalated it, so a lost reminder is sent again. It also
/// notices announced takeovers whose time has come, and deletes gathered answers kept too long.
/// </summary>
public sealed class DeadlineSweeper(
    IServiceScopeFactory scopes, HubOptions options, TimeProvider clock, ILogger<DeadlineSweeper> logger, Scaling.HubMembership? membership = null)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.DeadlineSweepInterval, clock, stoppingToken);

                // One of several hubs sweeps for all (a reminder sent twice would do no harm, only work).
                if (membership?.IsLeader ?? true)
                {
                    await SweepOnce(stoppingToken);
                }
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

    /// <summary>Sends a reminder for every deadline due now and every takeover whose time has come; returns what it sent.</summary>
    public async Task<IReadOnlyList<(string Type, Guid Id)>> SweepOnce(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var hub = await scope.ServiceProvider.GetRequiredService<IBus>().GetSendEndpoint(BrokerNames.HubAddress);
        var now = clock.GetUtcNow();
        await ExpireGatheredAnswers(db, scope.ServiceProvider.GetRequiredService<HubAudit>(), now, cancellationToken);

        // Takeovers announced ahead begin on time; the saga starts once however often it is told.
        var takeovers = await db.DealerAssignments.AsNoTracking().Where(a => a.StartedAt == null && a.EffectiveAt <= now).Select(a => a.TakeoverId)
            .ToListAsync(cancellationToken);
        var sent = new List<(string, Guid)>();
        foreach (var takeover in takeovers)
        {
            sent.Add(await Remind(hub, new StartTakeover { NoticeId = Guid.NewGuid(), TakeoverId = takeover }, cancellationToken));
        }

        var due = await db.Deadlines.AsNoTracking().Where(d => d.DueAt <= now).OrderBy(d => d.DueAt).Take(1000).ToListAsync(cancellationToken);
        foreach (var deadline in due)
        {
            sent.Add(await Remind(hub, deadline.Owner == DeadlineOwner.Takeover
                ? (IUniqueMessage)new TakeoverDeadlineReached { ReminderId = Guid.NewGuid(), TakeoverId = deadline.SagaId, DueAt = deadline.DueAt }
                : new RequestDeadlineReached { ReminderId = Guid.NewGuid(), RequestId = deadline.SagaId, Company = deadline.Company, DueAt = deadline.DueAt },
                cancellationToken));
        }

        if (due.Count > 0)
        {
            logger.LogInformation("{Count} deadlines due; reminders sent", due.Count);
        }

        return sent;
    }

    private static async Task<(string Type, Guid Id)> Remind(ISendEndpoint hub, IUniqueMessage reminder, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(15));
        await hub.Send(reminder, reminder.GetType(), timeout.Token);
        return (reminder.GetType().Name, reminder.UniqueId);
    }

    /// <summary>Answers with the customer's values are not kept past their retention when nobody wrote the report or package.</summary>
    private async Task ExpireGatheredAnswers(HubDbContext db, HubAudit audit, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var before = now - options.GatheredAnswerRetention;
        var expired = await db.Gathered.Where(g => g.ReceivedAt < before).ToListAsync(cancellationToken);
        if (expired.Count == 0)
        {
            return;
        }

        db.Gathered.RemoveRange(expired);
        foreach (var request in expired.GroupBy(g => g.RequestId))
        {
            audit.Record(AuditKind.GatheredAnswersExpired, request.Key, request.First().CustomerId, HubAudit.Hub, note: $"{request.Count()} answers deleted");
        }

        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("{Count} gathered answers past their retention deleted", expired.Count);
    }
}
