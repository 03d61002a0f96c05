using IntegrationHub.Contracts;
using MassTransit;

namespace IntegrationHub.Workers;

/// <summary>The commands that take the customer's data away or out: erasure, access, portability, and a dealer takeover's hand-over.</summary>
public sealed partial class CompanyCommands
{
    /// <summary>Art. 17 GDPR: everything goes, except categories under a legal retention duty, which are kept restricted.</summary>
    public Task Consume(ConsumeContext<EraseCustomerData> context) =>
        Answer(context, context.Message.CommandId, context.Message.Recipient, async (store, now) =>
        {
            var command = context.Message;
            var held = await Held(store, command.CustomerId, null);

            // DOMAIN.md section 6.2: an operator change takes away what was handed over, no more.
            var records = command is { Reason: ErasureReason.OperatorChange, DealerId: { } dealer } ? held.Where(r => HandedOverWith(r, dealer)).ToList() : held;
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

            if (kept.Count == 0 && records.Count == held.Count && await store.Customers.FindAsync([command.CustomerId]) is { } standing)
            {
                store.Customers.Remove(standing);
            }

            // An operator change is no erasure of the customer, who lives on at the new operator.
            var hash = worker.CustomerHash(command.CustomerId);
            if (command.Reason == ErasureReason.DataSubjectRequest && await store.ErasedCustomers.FindAsync([hash]) is null)
            {
                store.ErasedCustomers.Add(new ErasedCustomer { CustomerHash = hash, ErasedAt = now });
            }

            return receipt;
        }, receipt => new CustomerDataErased
        {
            CommandId = context.Message.CommandId, RequestId = context.Message.RequestId, CustomerId = context.Message.CustomerId, Company = worker.CompanyId,
            Receipt = receipt,
        });

    /// <summary>Art. 15 GDPR: what this company holds about the customer, now (also when the command comes again).</summary>
    public Task Consume(ConsumeContext<ProvideCustomerData> context) =>
        AnswerFromStore(context, context.Message.CommandId, context.Message.Recipient, async (store, now) =>
        {
            var command = context.Message;
            var records = await Held(store, command.CustomerId, null);
            var receipt = Receipt(records, OutcomeKind.Provided, now);
            return (receipt, new CustomerDataProvided
            {
                CommandId = command.CommandId, RequestId = command.RequestId, CustomerId = command.CustomerId, Company = worker.CompanyId,
                Receipt = receipt, Records = Records(records),
            });
        });

    /// <summary>Art. 20 GDPR: what the customer provided under consent or contract, not what the company derived.</summary>
    public Task Consume(ConsumeContext<ExportPortableData> context) =>
        AnswerFromStore(context, context.Message.CommandId, context.Message.Recipient, async (store, now) =>
        {
            var command = context.Message;
            var records = (await Held(store, command.CustomerId, null)).Where(IsPortable).ToList();
            var receipt = Receipt(records, OutcomeKind.Provided, now);
            return (receipt, new PortableDataExported
            {
                CommandId = command.CommandId, RequestId = command.RequestId, CustomerId = command.CustomerId, Company = worker.CompanyId,
                Receipt = receipt, Records = Records(records),
            });
        });

    /// <summary>
    /// DOMAIN.md section 6: the former operator hands over what it holds of a customer of the Zentrum;
    /// erasure follows separately. A repeat hands over what is still held: nothing, once erased.
    /// </summary>
    public Task Consume(ConsumeContext<HandOverDealerRecords> context) =>
        AnswerFromStore(context, context.Message.CommandId, context.Message.Recipient, async (store, now) =>
        {
            var command = context.Message;
            var records = (await Held(store, command.CustomerId, null)).Where(r => HandedOverWith(r, command.DealerId)).ToList();
            return (Receipt(records, OutcomeKind.Provided, now), new DealerRecordsHandedOver
            {
                CommandId = command.CommandId, TakeoverId = command.TakeoverId, CustomerId = command.CustomerId, Company = worker.CompanyId,
                Records = Records(records),
            });
        });

    /// <summary>What a hand-over of the Zentrum takes: its records, and those that came without a Zentrum.</summary>
    private static bool HandedOverWith(HeldRecord record, string dealerId) => record.DealerId is null || record.DealerId == dealerId;
}
