using System.Text.Json;
using IntegrationHub.Contracts;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Workers;

/// <summary>
/// Carries out what the hub sends a company, for real, in the company's own store, and answers each
/// command with a receipt: what was erased, kept or changed (counts per category and a digest), and
/// the legal basis of anything kept. A command already answered changes nothing and is answered the same.
/// </summary>
public sealed partial class CompanyCommands(CompanyWorker worker, TimeProvider clock, ILogger<CompanyCommands> logger) :
    IConsumer<DeliverCustomerData>,
    IConsumer<RectifyCustomerData>,
    IConsumer<RestrictProcessing>,
    IConsumer<LiftRestriction>,
    IConsumer<DeleteConsentBasedData>,
    IConsumer<StopNeedsAnalysis>,
    IConsumer<StopDirectMarketing>,
    IConsumer<EraseCustomerData>,
    IConsumer<ProvideCustomerData>,
    IConsumer<ExportPortableData>,
    IConsumer<HandOverDealerRecords>,
    IConsumer<TakeOverDealerRecords>
{
    private static readonly DataCategory[] ConsentBased = [DataCategory.InterestProfile, DataCategory.EmailEngagement];

    public Task Consume(ConsumeContext<RectifyCustomerData> context) =>
        Answer(context, context.Message.CommandId, context.Message.Recipient, async (store, now) =>
        {
            var command = context.Message;
            var records = await Held(store, command.CustomerId, command.Corrections.Keys);
            var receipt = Receipt(records, OutcomeKind.Changed, now);
            foreach (var record in records)
            {
                var fields = JsonSerializer.Deserialize<Dictionary<string, string>>(record.Fields)!;
                foreach (var (name, value) in command.Corrections[record.Category])
                {
                    fields[name] = value;
                }

                record.Fields = JsonSerializer.Serialize(fields);
                record.ChangedAt = now;
            }

            return receipt;
        }, receipt => new CustomerDataRectified
        {
            CommandId = context.Message.CommandId, RequestId = context.Message.RequestId, CustomerId = context.Message.CustomerId, Company = worker.CompanyId,
            Receipt = receipt,
        });

    public Task Consume(ConsumeContext<RestrictProcessing> context) =>
        Answer(context, context.Message.CommandId, context.Message.Recipient, async (store, now) =>
        {
            var command = context.Message;
            (await Standing(store, command.CustomerId, now)).Restricted = true;
            var records = await Held(store, command.CustomerId, null);
            records.ForEach(r => r.Restricted = true);
            return Receipt(records, OutcomeKind.Restricted, now);
        }, receipt => new ProcessingRestricted
        {
            CommandId = context.Message.CommandId, RequestId = context.Message.RequestId, CustomerId = context.Message.CustomerId, Company = worker.CompanyId,
            Receipt = receipt,
        });

    public Task Consume(ConsumeContext<LiftRestriction> context) =>
        Answer(context, context.Message.CommandId, context.Message.Recipient, async (store, now) =>
        {
            var command = context.Message;
            (await Standing(store, command.CustomerId, now)).Restricted = false;

            // Records kept under a retention duty stay restricted: they may only serve that duty.
            var records = (await Held(store, command.CustomerId, null)).Where(r => r.RetainedUnder is null).ToList();
            records.ForEach(r => r.Restricted = false);
            return Receipt(records, OutcomeKind.Unrestricted, now);
        }, receipt => new RestrictionLifted
        {
            CommandId = context.Message.CommandId, RequestId = context.Message.RequestId, CustomerId = context.Message.CustomerId, Company = worker.CompanyId,
            Receipt = receipt,
        });

    public Task Consume(ConsumeContext<DeleteConsentBasedData> context) =>
        Answer(context, context.Message.CommandId, context.Message.Recipient, async (store, now) =>
        {
            var command = context.Message;
            (await Standing(store, command.CustomerId, now)).NoPersonalisedContact = true;
            var records = await Held(store, command.CustomerId, ConsentBased);
            store.Records.RemoveRange(records);
            return Receipt(records, OutcomeKind.Erased, now);
        }, receipt => new ConsentBasedDataDeleted
        {
            CommandId = context.Message.CommandId, RequestId = context.Message.RequestId, CustomerId = context.Message.CustomerId, Company = worker.CompanyId,
            Receipt = receipt,
        });

    public Task Consume(ConsumeContext<StopNeedsAnalysis> context) =>
        Answer(context, context.Message.CommandId, context.Message.Recipient, async (store, now) =>
        {
            (await Standing(store, context.Message.CustomerId, now)).NoNeedsAnalysis = true;
            return Receipt(await Held(store, context.Message.CustomerId, null), OutcomeKind.Unchanged, now);
        }, receipt => new NeedsAnalysisStopped
        {
            CommandId = context.Message.CommandId, RequestId = context.Message.RequestId, CustomerId = context.Message.CustomerId, Company = worker.CompanyId,
            Receipt = receipt,
        });

    public Task Consume(ConsumeContext<StopDirectMarketing> context) =>
        Answer(context, context.Message.CommandId, context.Message.Recipient, async (store, now) =>
        {
            (await Standing(store, context.Message.CustomerId, now)).NoDirectMarketing = true;
            return Receipt(await Held(store, context.Message.CustomerId, null), OutcomeKind.Unchanged, now);
        }, receipt => new DirectMarketingStopped
        {
            CommandId = context.Message.CommandId, RequestId = context.Message.RequestId, CustomerId = context.Message.CustomerId, Company = worker.CompanyId,
            Receipt = receipt,
        });
}
