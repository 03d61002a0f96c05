using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IntegrationHub.Contracts;
using IntegrationHub.Platform;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Workers;

/// <summary>How a command is answered once and again, and the receipts and digests that answers carry.</summary>
public sealed partial class CompanyCommands
{
    /// <summary>A command that changes the store: carried out once; a repeat changes nothing and gets the same receipt.</summary>
    private Task Answer<T>(ConsumeContext<T> context, Guid commandId, string recipient,
        Func<CompanyStore, DateTimeOffset, Task<ActionReceipt>> carryOut, Func<ActionReceipt, object> answer)
        where T : class =>
        Respond(context, commandId, recipient, async (store, now, previous) =>
        {
            var receipt = previous ?? await carryOut(store, now);
            return (receipt, answer(receipt));
        });

    /// <summary>
    /// A command that reads data out (access, portability, hand-over): answered from what the store
    /// holds each time it comes, because the store keeps the receipt and never the values it sent.
    /// </summary>
    private Task AnswerFromStore<T>(ConsumeContext<T> context, Guid commandId, string recipient,
        Func<CompanyStore, DateTimeOffset, Task<(ActionReceipt Receipt, object Answer)>> read)
        where T : class =>
        Respond(context, commandId, recipient, (store, now, _) => read(store, now));

    private Task Respond<T>(ConsumeContext<T> context, Guid commandId, string recipient,
        Func<CompanyStore, DateTimeOffset, ActionReceipt?, Task<(ActionReceipt Receipt, object Answer)>> respond)
        where T : class =>
        Carry(context, async batch =>
        {
            RequireAddressedToUs(recipient, commandId);
            var store = batch.Store;
            var now = clock.GetUtcNow();
            var previous = await store.Answered.FindAsync([commandId], context.CancellationToken);
            var (receipt, answer) = await respond(store, now, previous?.Receipt());
            if (previous is null)
            {
                store.Answered.Add(AnsweredCommand.Of(commandId, typeof(T).Name, receipt, now));
                logger.LogInformation("{Company}: carried out {Command} {CommandId}", worker.CompanyId, typeof(T).Name, commandId);
            }
            else
            {
                logger.LogInformation("{Company}: {Command} {CommandId} was carried out before; answering again", worker.CompanyId, typeof(T).Name, commandId);
            }

            // Sent after the commit: if the answer is lost, the hub's command comes again and is answered again.
            batch.Answer(answer);
        });

    /// <summary>
    /// Carries out one message in the batch it came with (on RabbitMQ, <see cref="CompanyQueueReceiver"/>
    /// commits and answers the batch), or, on the in-memory transport, in a batch of its own that is
    /// committed and answered before the consumer returns.
    /// </summary>
    private async Task Carry(ConsumeContext context, Func<CompanyBatch, Task> message)
    {
        if (context.TryGetPayload<CompanyBatch>(out var batch))
        {
            await batch.Carry(message, context.CancellationToken);
            return;
        }

        await using var own = await CompanyBatch.Begin(worker, context, logger, context.CancellationToken);
        await own.Carry(message, context.CancellationToken);
        await own.Commit(context.CancellationToken);
        await own.SendAnswers(context.CancellationToken);
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

    /// <summary>
    /// Each taken-over record gets an id of its own, the same however often the hand-over arrives: the
    /// first 32 hex digits of SHA-256 over "taken-over:&lt;commandId, 32 hex digits&gt;:&lt;index from 0&gt;", so that
    /// a company in another language can name it the same way in a receipt's digest.
    /// </summary>
    private static Guid RecordId(Guid commandId, int index) =>
        Guid.ParseExact(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"taken-over:{commandId:N}:{index}")).AsSpan(0, 16)), "N");

    private static bool IsPortable(HeldRecord record) =>
        record.Category is not (DataCategory.VehicleDiagnostics or DataCategory.InterestProfile or DataCategory.EmailEngagement) &&
        (record.Purpose == Purpose.IndividualCare || record.Context is CaptureContext.Configuration or CaptureContext.VehicleContract
            or CaptureContext.PartsAccessories or CaptureContext.MyPorscheConnect);

    private static ActionReceipt Receipt(IReadOnlyCollection<HeldRecord> records, OutcomeKind outcome, DateTimeOffset now) => new()
    {
        Outcomes = records.GroupBy(r => r.Category).OrderBy(g => g.Key)
            .Select(g => new CategoryOutcome { Category = g.Key, Outcome = outcome, RecordCount = g.Count() }).ToList(),
        Digest = Digest(records),
        CompletedAt = now,
    };

    /// <summary>The receipt's digest over the records concerned (<see cref="RecordsDigest"/>): evidence of what was acted on, without the data.</summary>
    public static string Digest(IEnumerable<HeldRecord> records) =>
        RecordsDigest.Of(records.Select(r => new DigestedRecord(r.DeliveryId, r.Category, JsonSerializer.Deserialize<Dictionary<string, string>>(r.Fields)!)));

    /// <summary>Every record as the answer carries it: one entry each, with its source, context, purpose and times.</summary>
    private static List<CategoryRecord> Records(IEnumerable<HeldRecord> records) =>
        records.OrderBy(r => r.ReceivedAt).ThenBy(r => r.Id).Select(r => new CategoryRecord
        {
            Category = r.Category, Fields = JsonSerializer.Deserialize<Dictionary<string, string>>(r.Fields)!, SourceCompany = r.SourceCompany,
            DealerId = r.DealerId, Context = r.Context, ContractKind = r.ContractKind, Purpose = r.Purpose, CapturedAt = r.CapturedAt, ReceivedAt = r.ReceivedAt,
        }).ToList();
}
