using IntegrationHub.Hub.Persistence;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Hub.Sagas;

/// <summary>What operations ask of the outbox (`hub outbox`): how much waits, what is parked and why, who sends; and the release of a parked row.</summary>
public sealed class OutboxDesk(HubDbContext db)
{
    public async Task<OutboxOverview> Overview(CancellationToken cancellationToken = default)
    {
        var waiting = await db.Outbox.CountAsync(o => o.ParkedAt == null, cancellationToken);
        var retrying = await db.Outbox.CountAsync(o => o.ParkedAt == null && o.Attempts > 0, cancellationToken);
        var parked = await db.Outbox.AsNoTracking().Where(o => o.ParkedAt != null).OrderBy(o => o.Id)
            .Select(o => new { o.Id, o.MessageType, o.Destination, o.Attempts, o.ParkedAt, o.LastError })
            .ToListAsync(cancellationToken);
        var lease = await db.OutboxLeases.AsNoTracking().SingleOrDefaultAsync(l => l.Name == DispatcherLease.OutboxName, cancellationToken);
        return new OutboxOverview(waiting, retrying, lease?.Holder, lease?.ExpiresAt,
            parked.Select(p => new ParkedMessage(p.Id, OutboxMessage.ShortName(p.MessageType), p.Destination, p.Attempts, p.ParkedAt!.Value, p.LastError ?? "")).ToList());
    }

    /// <summary>Puts a parked row back into sending; false when there is no parked row of that id.</summary>
    public async Task<bool> Release(long outboxId, CancellationToken cancellationToken = default)
    {
        var row = await db.Outbox.SingleOrDefaultAsync(o => o.Id == outboxId && o.ParkedAt != null, cancellationToken);
        if (row is null)
        {
            return false;
        }

        OutboxRetryRule.Release(row);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }
}

/// <param name="Waiting">Rows not parked, due now or backing off.</param>
/// <param name="Retrying">Of those, rows that failed at least once.</param>
public sealed record OutboxOverview(int Waiting, int Retrying, string? LeaseHolder, DateTimeOffset? LeaseExpiresAt, IReadOnlyList<ParkedMessage> Parked);

/// <param name="Destination">The company endpoint a send was for; null for a publish.</param>
public sealed record ParkedMessage(long Id, string MessageType, string? Destination, int Attempts, DateTimeOffset ParkedAt, string Reason);
