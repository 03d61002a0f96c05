using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IntegrationHub.Contracts;
using MassTransit;
using MassTransit.Serialization;
using Microsoft.EntityFrameworkCore;
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

    public async Task Consume(ConsumeContext<DeliverCustomerData> context)
    {
        var delivery = context.Message;
        RequireAddressedToUs(delivery.Recipient, delivery.DeliveryId);
        await using var store = worker.OpenStore();
        if (await store.Records.AnyAsync(r => r.DeliveryId == delivery.DeliveryId, context.CancellationToken))
        {
            logger.LogInformation("{Company}: delivery {DeliveryId} already stored", worker.CompanyId, delivery.DeliveryId);
            return;
        }

        var now = clock.GetUtcNow();
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

        await store.SaveChangesAsync(context.CancellationToken);
        logger.LogInformation("{Company}: stored delivery {DeliveryId} for customer {CustomerId}: {Categories}",
            worker.CompanyId, delivery.DeliveryId, delivery.CustomerId, string.Join(",", delivery.Data.Keys));
    }

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

            return new CustomerDataRectified { CommandId = command.CommandId, RequestId = command.RequestId, CustomerId = command.CustomerId, Company = worker.CompanyId, Receipt = receipt };
        });

    public Task Consume(ConsumeContext<RestrictProcessing> context) =>
        Answer(context, context.Message.CommandId, context.Message.Recipient, async (store, now) =>
        {
            var command = context.Message;
            (await Standing(store, command.CustomerId, now)).Restricted = true;
            var records = await Held(store, command.CustomerId, null);
            records.ForEach(r => r.Restricted = true);
            return new ProcessingRestricted
            {
                CommandId = command.CommandId, RequestId = command.RequestId, CustomerId = command.CustomerId, Company = worker.CompanyId,
                Receipt = Receipt(records, OutcomeKind.Restricted, now),
            };
        });

    public Task Consume(ConsumeContext<LiftRestriction> context) =>
        Answer(context, context.Message.CommandId, context.Message.Recipient, async (store, now) =>
        {
            var command = context.Message;
            (await Standing(store, command.CustomerId, now)).Restricted = false;

            // Records kept under a retention duty stay restricted: they may only serve that duty.
            var records = (await Held(store, command.CustomerId, null)).Where(r => r.RetainedUnder is null).ToList();
            records.ForEach(r => r.Restricted = false);
            return new RestrictionLifted
            {
                CommandId = command.CommandId, RequestId = command.RequestId, CustomerId = command.CustomerId, Company = worker.CompanyId,
                Receipt = Receipt(records, OutcomeKind.Unrestricted, now),
            };
        });

    public Task Consume(ConsumeContext<DeleteConsentBasedData> context) =>
        Answer(context, context.Message.CommandId, context.Message.Recipient, async (store, now) =>
        {
            var command = context.Message;
            (await Standing(store, command.CustomerId, now)).NoPersonalisedContact = true;
            var records = await Held(store, command.CustomerId, ConsentBased);
            var receipt = Receipt(records, OutcomeKind.Erased, now);
            store.Records.RemoveRange(records);
            return new ConsentBasedDataDeleted { CommandId = command.CommandId, RequestId = command.RequestId, CustomerId = command.CustomerId, Company = worker.CompanyId, Receipt = receipt };
        });

    public Task Consume(ConsumeContext<StopNeedsAnalysis> context) =>
        Answer(context, context.Message.CommandId, context.Message.Recipient, async (store, now) =>
        {
            var command = context.Message;
            (await Standing(store, command.CustomerId, now)).NoNeedsAnalysis = true;
            return new NeedsAnalysisStopped
            {
                CommandId = command.CommandId, RequestId = command.RequestId, CustomerId = command.CustomerId, Company = worker.CompanyId,
                Receipt = Receipt(await Held(store, command.CustomerId, null), OutcomeKind.Unchanged, now),
            };
        });

    public Task Consume(ConsumeContext<StopDirectMarketing> context) =>
        Answer(context, context.Message.CommandId, context.Message.Recipient, async (store, now) =>
        {
            var command = context.Message;
            (await Standing(store, command.CustomerId, now)).NoDirectMarketing = true;
            return new DirectMarketingStopped
            {
                CommandId = command.CommandId, RequestId = command.RequestId, CustomerId = command.CustomerId, Company = worker.CompanyId,
                Receipt = Receipt(await Held(store, command.CustomerId, null), OutcomeKind.Unchanged, now),
            };
        });

    /// <summary>Each taken-over record gets an id of its own, the same however often the hand-over arrives.</summary>
    private static Guid RecordId(Guid commandId, int index) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes($"taken-over:{commandId:N}:{index}")).AsSpan(0, 16));

    private static bool IsPortable(HeldRecord record) =>
        record.Category is not (DataCategory.VehicleDiagnostics or DataCategory.InterestProfile or DataCategory.EmailEngagement) &&
        (record.Purpose == Purpose.IndividualCare || record.Context is CaptureContext.Configuration or CaptureContext.VehicleContract
            or CaptureContext.PartsAccessories or CaptureContext.MyPorscheConnect);

    private async Task Answer<T>(ConsumeContext<T> context, Guid commandId, string recipient, Func<CompanyStore, DateTimeOffset, Task<object>> carryOut)
        where T : class
    {
        RequireAddressedToUs(recipient, commandId);
        await using var store = worker.OpenStore();
        await using var transaction = await store.Database.BeginTransactionAsync(context.CancellationToken);
        object answer;
        var previous = await store.Answered.FindAsync([commandId], context.CancellationToken);
        if (previous is not null)
        {
            var type = typeof(CustomerDataErased).Assembly.GetType(previous.AnswerType, throwOnError: true)!;
            answer = JsonSerializer.Deserialize(previous.Answer, type, SystemTextJsonMessageSerializer.Options)!;
            logger.LogInformation("{Company}: command {CommandId} was carried out before; answering the same", worker.CompanyId, commandId);
        }
        else
        {
            answer = await carryOut(store, clock.GetUtcNow());
            store.Answered.Add(new AnsweredCommand
            {
                CommandId = commandId, AnswerType = answer.GetType().FullName!,
                Answer = JsonSerializer.Serialize(answer, answer.GetType(), SystemTextJsonMessageSerializer.Options), AnsweredAt = clock.GetUtcNow(),
            });
            await store.SaveChangesAsync(context.CancellationToken);
            logger.LogInformation("{Company}: carried out {Command} {CommandId}", worker.CompanyId, typeof(T).Name, commandId);
        }

        await transaction.CommitAsync(context.CancellationToken);

        // After the commit: if the answer is lost, the hub's command comes again and gets the same answer.
        await context.Publish(answer, answer.GetType(), context.CancellationToken);
    }

    private void RequireAddressedToUs(string recipient, Guid id)
    {
        if (recipient != worker.CompanyId)
        {
            throw new InvalidOperationException($"{id} is addressed to {recipient}, not to {worker.CompanyId}");
        }
    }

    private static async Task<List<HeldRecord>> Held(CompanyStore store, Guid customerId, IEnumerable<DataCategory>? categories)
    {
        var records = await store.Records.Where(r => r.CustomerId == customerId).OrderBy(r => r.Id).ToListAsync();
        return categories is null ? records : records.Where(r => categories.Contains(r.Category)).ToList();
    }

    private static async Task<CustomerStanding> Standing(CompanyStore store, Guid customerId, DateTimeOffset now)
    {
        var standing = await store.Customers.FindAsync([customerId]);
        if (standing is null)
        {
            standing = new CustomerStanding { CustomerId = customerId };
            store.Customers.Add(standing);
        }

        standing.UpdatedAt = now;
        return standing;
    }

    private static ActionReceipt Receipt(IReadOnlyCollection<HeldRecord> records, OutcomeKind outcome, DateTimeOffset now) => new()
    {
        Outcomes = records.GroupBy(r => r.Category).OrderBy(g => g.Key)
            .Select(g => new CategoryOutcome { Category = g.Key, Outcome = outcome, RecordCount = g.Count() }).ToList(),
        Digest = Digest(records),
        CompletedAt = now,
    };

    /// <summary>SHA-256 over the records concerned, in a fixed order: evidence of what was acted on, without the data.</summary>
    public static string Digest(IEnumerable<HeldRecord> records)
    {
        var canonical = string.Join("\n", records.OrderBy(r => r.DeliveryId).ThenBy(r => r.Category)
            .Select(r => $"{r.DeliveryId:N}|{r.Category}|{r.Fields}"));
        return "sha256:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))).ToLowerInvariant();
    }

    private static CategoryData Merge(IEnumerable<HeldRecord> records)
    {
        var data = new CategoryData();
        foreach (var record in records.OrderBy(r => r.ReceivedAt))
        {
            var fields = data.TryGetValue(record.Category, out var existing) ? existing : data[record.Category] = [];
            foreach (var (name, value) in JsonSerializer.Deserialize<Dictionary<string, string>>(record.Fields)!)
            {
                fields[name] = value;
            }
        }

        return data;
    }
}
