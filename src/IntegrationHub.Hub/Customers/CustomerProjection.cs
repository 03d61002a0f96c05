using IntegrationHub.Hub.Persistence;
using IntegrationHub.Hub.Sagas;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Hub.Customers;

/// <summary>
/// Rewrites the rows derived from a customer's saga: the recipient ledger (for Art. 19 look-ups
/// without reading saga JSON) and the customer's Zentrum (for a takeover's snapshot).
/// </summary>
public sealed class CustomerProjection : ISagaProjection<CustomerState>
{
    public async Task Project(HubDbContext db, Guid customerId, CustomerState? state, CancellationToken cancellationToken)
    {
        var ledger = await db.Ledger.Where(l => l.CustomerId == customerId).ToListAsync(cancellationToken);

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
    }
}
