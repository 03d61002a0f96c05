using System.Text.Json;
using IntegrationHub.Contracts;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Workers;

/// <summary>What a company receives to keep: the hub's deliveries, and the records a former operator handed over.</summary>
public sealed partial class CompanyCommands
{
    public Task Consume(ConsumeContext<DeliverCustomerData> context) => Carry(context, async batch =>
    {
        var delivery = context.Message;
        RequireAddressedToUs(delivery.Recipient, delivery.DeliveryId);
        var store = batch.Store;
        var now = clock.GetUtcNow();
        if (!await Admit(store, delivery.DeliveryId, delivery.CustomerId, now, context.CancellationToken))
        {
            return;
        }

        foreach (var (category, fields) in delivery.Data)
        {
            store.Records.Add(new HeldRecord
            {
                CustomerId = delivery.CustomerId, Category = category, Fields = JsonSerializer.Serialize(fields),
                SourceCompany = delivery.SourceCompany, DealerId = delivery.DealerId, Context = delivery.Context,
                ContractKind = delivery.ContractKind, Purpose = delivery.Purpose, DeliveryId = delivery.DeliveryId,
                CapturedAt = delivery.CapturedAt, ReceivedAt = now,
                Restricted = await store.Customers.AnyAsync(c => c.CustomerId == delivery.CustomerId && c.Restricted, context.CancellationToken),
            });
        }

        // Logs name the customer by the keyed hash only: they outlive an erasure (issue 12).
        logger.LogInformation("{Company}: stored delivery {DeliveryId} for customer {CustomerHash}: {Categories}",
            worker.CompanyId, delivery.DeliveryId, worker.CustomerHash(delivery.CustomerId)[..12], string.Join(",", delivery.Data.Keys));
    });

    /// <summary>The new operator stores what the former one handed over; the same hand-over twice is stored once.</summary>
    public Task Consume(ConsumeContext<TakeOverDealerRecords> context) => Carry(context, async batch =>
    {
        var command = context.Message;
        RequireAddressedToUs(command.Recipient, command.CommandId);
        var store = batch.Store;
        var ids = command.Records.Select((_, index) => RecordId(command.CommandId, index)).ToList();
        var now = clock.GetUtcNow();
        if (ids.Count == 0 || !await Admit(store, ids[0], command.CustomerId, now, context.CancellationToken))
        {
            return;
        }

        // The customer's choices come along with the records: they are the customer's, not the dealer's.
        var standing = await Standing(store, command.CustomerId, now);
        standing.Restricted |= command.Restricted;
        standing.NoNeedsAnalysis |= command.NoNeedsAnalysis;
        standing.NoDirectMarketing |= command.NoDirectMarketing;
        standing.NoPersonalisedContact |= command.NoPersonalisedContact;
        var restricted = standing.Restricted;
        foreach (var (record, index) in command.Records.Select((record, index) => (record, index)))
        {
            store.Records.Add(new HeldRecord
            {
                // Each record keeps where it came from and when; the dealer role holds it for joint care unless it came for another purpose.
                CustomerId = command.CustomerId, Category = record.Category, Fields = JsonSerializer.Serialize(record.Fields), SourceCompany = record.SourceCompany,
                DealerId = command.DealerId, Context = record.Context, ContractKind = record.ContractKind, Purpose = record.Purpose ?? Purpose.JointCare,
                DeliveryId = ids[index], CapturedAt = record.CapturedAt ?? record.ReceivedAt, ReceivedAt = now, Restricted = restricted,
            });
        }

        logger.LogInformation("{Company}: took over {Count} records of customer {CustomerHash} from {From}",
            worker.CompanyId, command.Records.Count, worker.CustomerHash(command.CustomerId)[..12], command.FromOperator);
    });

    /// <summary>
    /// Whether to store a delivery: not if it is stored already (a plain repeat), and never again once
    /// erased. A delivery stored once and since erased, or any delivery for a customer erased here, is
    /// a replay (an operator moving messages back from an error or dead-letter queue) or late: storing it
    /// would bring back data the hub's ledger no longer knows of. It is acknowledged and counted, not
    /// parked: a parked copy would keep the erased values on the broker's disk and invite the next replay.
    /// </summary>
    private async Task<bool> Admit(CompanyStore store, Guid deliveryId, Guid customerId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await store.Records.AnyAsync(r => r.DeliveryId == deliveryId, cancellationToken))
        {
            logger.LogInformation("{Company}: delivery {DeliveryId} already stored", worker.CompanyId, deliveryId);
            return false;
        }

        var hash = worker.CustomerHash(customerId);
        DeliveryRefusal? refusal = await store.HandledDeliveries.AnyAsync(h => h.DeliveryId == deliveryId, cancellationToken) ? DeliveryRefusal.ErasedSinceStored
            : await store.ErasedCustomers.AnyAsync(e => e.CustomerHash == hash, cancellationToken) ? DeliveryRefusal.CustomerErased
            : null;
        if (refusal is not { } reason)
        {
            store.HandledDeliveries.Add(new HandledDelivery { DeliveryId = deliveryId, HandledAt = now });
            return true;
        }

        store.RefusedDeliveries.Add(new RefusedDelivery { DeliveryId = deliveryId, Reason = reason, RefusedAt = now });
        logger.LogWarning("{Company}: delivery {DeliveryId} refused, not stored: {Reason}", worker.CompanyId, deliveryId, reason);
        return false;
    }
}
