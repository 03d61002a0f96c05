using IntegrationHub.Contracts;
using IntegrationHub.Hub.Audit;
using IntegrationHub.Hub.Messages;
using IntegrationHub.Hub.Persistence;
using IntegrationHub.Hub.Sagas;
using IntegrationHub.Platform;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Hub.Customers;

/// <summary>
/// The end of an erasure (Art. 17 GDPR): every holder answered, so the hub keeps only a tombstone. The
/// audit trail and the requests stay as evidence but lose the customer id; the saga row, the ledger and
/// everything else derived from it go when the state machine finalizes.
/// </summary>
public sealed class CustomerErasure(HubDbContext db, HubOutbox outbox, DealerHandOver handOver, CustomerHashing hashing, HubAudit audit,
    UnitOfWork.HubWriter writer, TimeProvider clock, ILogger<CustomerErasure> logger)
{
    public async Task Forget(CustomerState state, ErasureFinished erasure, CancellationToken cancellationToken)
    {
        var customerId = state.CorrelationId;
        var hash = hashing.HashOf(customerId);
        var now = clock.GetUtcNow();
        if (await db.Tombstones.FindAsync([hash], cancellationToken) is null)
        {
            db.Tombstones.Add(new Tombstone
            {
                CustomerHash = hash, ErasureRequestId = erasure.RequestId, RequestedAt = erasure.RequestedAt, ErasedAt = now,
                ReceiptDigests = string.Join(";", erasure.Receipts.Select(r => $"{r.Company}={r.Digest}")),
            });
        }

        // Copies of the customer's messages may sit in the hub's error and dead-letter queues.
        if (await db.PendingScrubs.FindAsync([customerId], cancellationToken) is null)
        {
            db.PendingScrubs.Add(new PendingScrub { CustomerId = customerId, RequestedAt = now });
        }

        foreach (var pending in state.HandOvers.ToList())
        {
            handOver.End(state, pending.TakeoverId, pending.FromOperator, HandOverOutcome.Erased);
        }

        // Forgotten first: a request the erasure answers completes without the customer id.
        foreach (var request in state.Requests)
        {
            outbox.Send(customerId, BrokerNames.HubAddress, new CustomerForgotten { RequestId = request, CustomerHash = hash });
        }

        foreach (var follower in state.AnsweredByErasure)
        {
            outbox.Send(customerId, BrokerNames.HubAddress, new ErasureConcluded { RequestId = follower, ErasureRequestId = erasure.RequestId, ErasedAt = now });
        }

        db.Gathered.RemoveRange(await db.Gathered.Where(g => g.CustomerId == customerId).ToListAsync(cancellationToken));
        db.Sightings.RemoveRange(await db.Sightings.Where(s => s.CustomerHash == hash).ToListAsync(cancellationToken));

        // The trail keeps what happened, under the hash: entries already stored, and those of this unit of work.
        await db.Audit.Where(a => a.CustomerId == customerId)
            .ExecuteUpdateAsync(set => set.SetProperty(a => a.CustomerId, (Guid?)null).SetProperty(a => a.CustomerHash, hash), cancellationToken);
        foreach (var entry in db.StagedAudit.Where(a => a.CustomerId == customerId))
        {
            entry.CustomerId = null;
            entry.CustomerHash = hash;
        }

        audit.Record(AuditKind.CustomerErased, erasure.RequestId, null, HubAudit.Hub, customerHash: hash);

        // The copies the hub sent of the customer's values are long deleted from the outbox, and the
        // answers gathered for them just now; the engine may still keep earlier versions of those rows on disk.
        writer.ReclaimAfterCommit();
        outbox.Publish(customerId, new ErasureCompleted
        {
            RequestId = erasure.RequestId, CustomerId = customerId, AcknowledgedBy = erasure.Receipts.Select(r => r.Company).ToList(), CompletedAt = now,
        });
        logger.LogInformation("Customer {CustomerHash} erased at the hub; tombstone kept", hash[..12]);
    }
}
