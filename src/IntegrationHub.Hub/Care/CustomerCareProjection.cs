using IntegrationHub.Hub.Persistence;
using IntegrationHub.Hub.Sagas;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Hub.Care;

/// <summary>
/// Rewrites the rows derived from a customer's saga: the recipient ledger (for Art. 19 look-ups
/// without reading saga JSON) and the deadlines still to be watched (for the sweeper).
/// </summary>
public sealed class CustomerCareProjection : ISagaProjection<CustomerCareState>
{
    public async Task Project(HubDbContext db, Guid customerId, CustomerCareState? state, CancellationToken cancellationToken)
    {
        var ledger = await db.Ledger.Where(l => l.CustomerId == customerId).ToListAsync(cancellationToken);
        var deadlines = await db.Deadlines.Where(d => d.CustomerId == customerId).ToListAsync(cancellationToken);

        var wantedLedger = state?.Ledger ?? [];
        foreach (var row in ledger.Where(row => !wantedLedger.Any(h => h.Company == row.Company && h.Category == row.Category)))
        {
            db.Ledger.Remove(row);
        }

        foreach (var held in wantedLedger)
        {
            var row = ledger.SingleOrDefault(r => r.Company == held.Company && r.Category == held.Category);
            if (row is null)
            {
                row = new LedgerEntry { CustomerId = customerId, Company = held.Company, Category = held.Category };
                db.Ledger.Add(row);
            }

            row.FirstReceivedAt = held.Since;
            row.LastReceivedAt = held.LastReceivedAt;
            row.LastDeliveryId = held.LastDeliveryId;
        }

        var dealer = await db.CustomerDealers.FindAsync([customerId], cancellationToken);
        if (state?.DealerId is null)
        {
            if (dealer is not null)
            {
                db.CustomerDealers.Remove(dealer);
            }
        }
        else if (dealer is null)
        {
            db.CustomerDealers.Add(new CustomerDealer { CustomerId = customerId, DealerId = state.DealerId });
        }
        else
        {
            dealer.DealerId = state.DealerId;
        }

        var wantedDeadlines = new List<DeadlineRow>();
        foreach (var fanOut in state?.FanOuts.Where(f => f.IsOpen) ?? [])
        {
            if (fanOut.OverdueSince is null)
            {
                wantedDeadlines.Add(new DeadlineRow { CustomerId = customerId, RequestId = fanOut.RequestId, Company = "", DueAt = fanOut.DueAt });
            }

            wantedDeadlines.AddRange(fanOut.Waiting.Where(r => r.OverdueSince is null).Select(r =>
                new DeadlineRow { CustomerId = customerId, RequestId = fanOut.RequestId, Company = r.Company, DueAt = r.AcknowledgeBy }));
        }

        foreach (var row in deadlines.Where(row => !wantedDeadlines.Any(w => w.RequestId == row.RequestId && w.Company == row.Company)))
        {
            db.Deadlines.Remove(row);
        }

        foreach (var wanted in wantedDeadlines)
        {
            var row = deadlines.SingleOrDefault(r => r.RequestId == wanted.RequestId && r.Company == wanted.Company);
            if (row is null)
            {
                db.Deadlines.Add(wanted);
            }
            else
            {
                row.DueAt = wanted.DueAt;
            }
        }
    }
}
