using IntegrationHub.Hub.Persistence;
using IntegrationHub.Hub.Sagas;

namespace IntegrationHub.Hub.Customers;

/// <summary>
/// Rewrites the rows derived from a customer's saga: the recipient ledger (for Art. 19 look-ups
/// without reading saga JSON) and the customer's Zentrum (for a takeover's snapshot).
/// </summary>
public sealed class CustomerProjection : ISagaProjection<CustomerState>
{
    public async Task Project(HubDbContext db, Guid customerId, CustomerState? state, CancellationToken cancellationToken)
    {
        // Plain SQL (StoreRows): every capture comes here, and only the lines it changed are written.
        var stored = await db.Rows.Where<LedgerEntry>(cancellationToken, (nameof(LedgerEntry.CustomerId), customerId));
        var wanted = (state?.Ledger ?? []).Select(held => new LedgerEntry
        {
            CustomerId = customerId, Company = held.Company, Category = held.Category,
            FirstReceivedAt = held.Since, LastReceivedAt = held.LastReceivedAt, LastDeliveryId = held.LastDeliveryId,
        }).ToList();
        foreach (var gone in stored.Where(row => !wanted.Any(w => w.Company == row.Company && w.Category == row.Category)))
        {
            await db.Rows.Delete(gone, cancellationToken);
        }

        // A line changes only when a delivery brings its category (a new LastDeliveryId).
        await db.Rows.Upsert(wanted.Where(w => !stored.Any(row => row.Company == w.Company && row.Category == w.Category && row.LastDeliveryId == w.LastDeliveryId))
            .ToList(), cancellationToken);

        var dealer = new CustomerDealer { CustomerId = customerId, DealerId = state?.DealerId ?? "" };
        if (state?.DealerId is null)
        {
            await db.Rows.Delete(dealer, cancellationToken);
        }
        else if ((await db.Rows.Where<CustomerDealer>(cancellationToken, (nameof(CustomerDealer.CustomerId), customerId))).SingleOrDefault()?.DealerId != state.DealerId)
        {
            await db.Rows.Upsert([dealer], cancellationToken);
        }
    }
}
