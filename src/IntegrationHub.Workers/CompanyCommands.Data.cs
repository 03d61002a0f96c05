using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IntegrationHub.Contracts;
using MassTransit;
using MassTransit.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Workers;

/// <summary>The commands that take the customer's data away or out: erasure, access, portability, and a dealer takeover's hand-over.</summary>
public sealed partial class CompanyCommands
{
    /// <summary>Art. 17 GDPR: everything goes, except categories under a legal retention duty, which are kept restricted.</summary>
    public Task Consume(ConsumeContext<EraseCustomerData> context) =>
        Answer(context, context.Message.CommandId, context.Message.Recipient, async (store, now) =>
        {
            var command = context.Message;
            var records = await Held(store, command.CustomerId, null);
            var kept = records.Where(r => worker.Options.Retention.ContainsKey(r.Category) && command.Reason == ErasureReason.DataSubjectRequest).ToList();
            var erased = records.Except(kept).ToList();
            var outcomes = erased.GroupBy(r => r.Category)
                .Select(g => new CategoryOutcome { Category = g.Key, Outcome = OutcomeKind.Erased, RecordCount = g.Count() })
                .Concat(kept.GroupBy(r => r.Category).Select(g => new CategoryOutcome
                {
                    Category = g.Key, Outcome = OutcomeKind.KeptRestricted, RecordCount = g.Count(), LegalBasis = worker.Options.Retention[g.Key],
                }))
                .OrderBy(o => o.Category).ToList();
            var receipt = new ActionReceipt { Outcomes = outcomes, Digest = Digest(records), CompletedAt = now };
            store.Records.RemoveRange(erased);
            foreach (var record in kept)
            {
                record.Restricted = true;
                record.RetainedUnder = worker.Options.Retention[record.Category];
                record.ChangedAt = now;
            }

            if (kept.Count == 0 && await store.Customers.FindAsync([command.CustomerId]) is { } standing)
            {
                store.Customers.Remove(standing);
            }

            return new CustomerDataErased { CommandId = command.CommandId, RequestId = command.RequestId, CustomerId = command.CustomerId, Company = worker.CompanyId, Receipt = receipt };
        });

    /// <summary>Art. 15 GDPR: what this company holds about the customer.</summary>
    public Task Consume(ConsumeContext<ProvideCustomerData> context) =>
        Answer(context, context.Message.CommandId, context.Message.Recipient, async (store, now) =>
        {
            var command = context.Message;
            var records = await Held(store, command.CustomerId, null);
            return new CustomerDataProvided
            {
                CommandId = command.CommandId, RequestId = command.RequestId, CustomerId = command.CustomerId, Company = worker.CompanyId,
                Receipt = Receipt(records, OutcomeKind.Provided, now), Data = Merge(records),
            };
        });

    /// <summary>Art. 20 GDPR: what the customer provided under consent or contract, not what the company derived.</summary>
    public Task Consume(ConsumeContext<ExportPortableData> context) =>
        Answer(context, context.Message.CommandId, context.Message.Recipient, async (store, now) =>
        {
            var command = context.Message;
            var records = (await Held(store, command.CustomerId, null)).Where(IsPortable).ToList();
            return new PortableDataExported
            {
                CommandId = command.CommandId, RequestId = command.RequestId, CustomerId = command.CustomerId, Company = worker.CompanyId,
                Receipt = Receipt(records, OutcomeKind.Provided, now), Data = Merge(records),
            };
        });

    /// <summary>DOMAIN.md section 6: the former operator hands over what it holds of a customer of the Zentrum; erasure follows separately.</summary>
    public Task Consume(ConsumeContext<HandOverDealerRecords> context) =>
        Answer(context, context.Message.CommandId, context.Message.Recipient, async (store, now) =>
        {
            var command = context.Message;
            var records = (await Held(store, command.CustomerId, null)).Where(r => r.DealerId is null || r.DealerId == command.DealerId).ToList();
            return new DealerRecordsHandedOver
            {
                CommandId = command.CommandId, TakeoverId = command.TakeoverId, CustomerId = command.CustomerId, Company = worker.CompanyId,
                Records = records.Select(r => new CategoryRecord { Category = r.Category, Fields = JsonSerializer.Deserialize<Dictionary<string, string>>(r.Fields)! }).ToList(),
            };
        });

    /// <summary>The new operator stores what the former one handed over; the same hand-over twice is stored once.</summary>
    public async Task Consume(ConsumeContext<TakeOverDealerRecords> context)
    {
        var command = context.Message;
        RequireAddressedToUs(command.Recipient, command.CommandId);
        await using var store = worker.OpenStore();
        var ids = command.Records.Select((_, index) => RecordId(command.CommandId, index)).ToList();
        if (ids.Count == 0 || await store.Records.AnyAsync(r => r.DeliveryId == ids[0], context.CancellationToken))
        {
            return;
        }

        var now = clock.GetUtcNow();

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
                CustomerId = command.CustomerId, Category = record.Category, Fields = JsonSerializer.Serialize(record.Fields), SourceCompany = command.FromOperator,
                DealerId = command.DealerId, Context = null, Purpose = Purpose.JointCare, DeliveryId = ids[index],
                CapturedAt = now, ReceivedAt = now, Restricted = restricted,
            });
        }

        await store.SaveChangesAsync(context.CancellationToken);
        logger.LogInformation("{Company}: took over {Count} records of customer {CustomerId} from {From}", worker.CompanyId, command.Records.Count, command.CustomerId, command.FromOperator);
    }
}
