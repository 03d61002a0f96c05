using IntegrationHub.Hub.Persistence;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Hub.Sagas;

/// <summary>
/// Rewrites the deadline rows of one saga to the deadlines it still watches, so the sweeper finds due
/// ones with one query (RabbitMQ 3.10 here has no delayed-message plugin) and they survive restarts.
/// </summary>
public static class DeadlineProjection
{
    public static async Task Rewrite(HubDbContext db, Guid sagaId, DeadlineOwner owner, IReadOnlyCollection<(string Company, DateTimeOffset DueAt)> wanted,
        CancellationToken cancellationToken)
    {
        var rows = await db.Deadlines.Where(d => d.SagaId == sagaId).ToListAsync(cancellationToken);
        db.Deadlines.RemoveRange(rows.Where(row => !wanted.Any(w => w.Company == row.Company)));
        foreach (var (company, dueAt) in wanted)
        {
            if (rows.SingleOrDefault(r => r.Company == company) is { } row)
            {
                row.DueAt = dueAt;
            }
            else
            {
                db.Deadlines.Add(new DeadlineRow { SagaId = sagaId, Company = company, Owner = owner, DueAt = dueAt });
            }
        }
    }
}
