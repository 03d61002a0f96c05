using IntegrationHub.Contracts;
using IntegrationHub.Hub.Audit;
using IntegrationHub.Hub.Customers;
using IntegrationHub.Hub.Persistence;
using IntegrationHub.Hub.Requests;
using IntegrationHub.Hub.Takeovers;
using IntegrationHub.Workers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Cli;

/// <summary>
/// Watches the hub's store and the companies' stores for the effect of each step of the demo, and
/// tells it in plain words. Every wait ends on a positive signal (an audit row, a handled delivery, a
/// done request) or, after <see cref="Patience"/>, with <see cref="DemoIncompleteException"/>.
/// </summary>
internal sealed class DemoNarrator(DemoStage stage, IReadOnlyDictionary<Guid, string> names)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public int Step { get; private set; }

    public static readonly string Legend = """
        How to read it:
          ->  the company receives these categories of the capture (its copy holds nothing else)
          x   the company does not receive them, with the reason: NoOperationalNeed (the routing matrix
              gives it no need), ConsentMissing (individual care data without consent), Objection,
              ProcessingRestricted (the customer restricted processing)
          ok  a company carried out a command and answered with a receipt: what it did per category
              and how many records (Erased, KeptRestricted under a legal duty, Provided, Restricted, ...)
          tombstone  what the hub keeps of an erased customer: a keyed hash, when, and the receipts' digests;
              a later message for that customer is quarantined, never routed
          The sender never gets its own data back; names are fictional, ids are what the hub sees.
        """;

    public void Heading(string title)
    {
        Step++;
        Console.WriteLine();
        Console.WriteLine($"{Step}. {title}");
    }

    public static void Say(string line) => Console.WriteLine("   " + line);

    public string Name(Guid customerId) => names.TryGetValue(customerId, out var name) ? name : customerId.ToString();

    /// <summary>Waits until the hub routed the capture and every company it sent a copy to has taken it; prints the decision.</summary>
    public async Task Routed(CustomerDataCaptured capture)
    {
        var decision = await Until(async db => await db.Audit.AsNoTracking()
                .Where(a => a.MessageId == capture.CaptureId && a.Kind == AuditKind.CaptureRouted).ToListAsync(),
            rows => rows.Count > 0, $"the routing of capture {capture.CaptureId}");
        var delivered = decision.Where(a => a.Reason == AuditReason.Delivered).GroupBy(a => a.Company!).ToList();
        foreach (var recipient in delivered)
        {
            var worker = stage.Workers.Single(w => w.CompanyId == recipient.Key);
            var deliveryId = RequestCommands.DeliveryId(capture.CaptureId, recipient.Key);
            await UntilStore(worker, store => store.HandledDeliveries.AnyAsync(d => d.DeliveryId == deliveryId), $"{recipient.Key} storing its copy");
            Say($"  -> {recipient.Key,-8} gets {string.Join(", ", recipient.Select(a => a.Category))}");
        }

        foreach (var group in decision.Where(a => a.Reason != AuditReason.Delivered).GroupBy(a => (a.Company, a.Reason)))
        {
            Say($"  x  {group.Key.Company,-8} not sent {string.Join(", ", group.Select(a => a.Category))} ({group.Key.Reason})");
        }
    }

    /// <summary>Waits until the request is done and prints each holder's receipt.</summary>
    public async Task<RequestStatus> Done(Guid requestId)
    {
        var status = await UntilDesk(desk => desk.Status(requestId), s => s?.CompletedAt is not null, $"request {requestId} done");
        foreach (var receipt in status!.Receipts.OrderBy(r => r.Company))
        {
            Say($"  ok {receipt.Company,-8} " + (receipt.Outcomes.Count == 0 ? "held nothing"
                : string.Join(", ", receipt.Outcomes.Select(o => $"{o.Category} {o.Outcome} {o.RecordCount}" + (o.LegalBasis is null ? "" : $" (kept under {o.LegalBasis})")))));
        }

        Say($"request {status.Kind} {requestId}: {status.State}" + (status.Receipts.Count == 0 ? " (no company held anything to act on)" : ""));
        return status;
    }

    public Task<TakeoverProgress> TakeoverDone(Guid takeoverId) =>
        UntilDesk(desk => desk.Takeover(takeoverId), t => t?.CompletedAt is not null, $"takeover {takeoverId} done")!;

    /// <summary>Waits until the erased customer's tombstone counts <paramref name="quarantined"/> later messages.</summary>
    public async Task<Tombstone> Tombstone(Guid customerId, int quarantined = 0)
    {
        var hash = stage.Hub.GetRequiredService<CustomerHashing>().HashOf(customerId);
        return (await Until(db => db.Tombstones.AsNoTracking().SingleOrDefaultAsync(t => t.CustomerHash == hash),
            t => t is not null && t.QuarantinedMessages >= quarantined, $"the tombstone of {Name(customerId)}"))!;
    }

    /// <summary>What each company's store holds of a customer, per category (records, restricted ones marked).</summary>
    public async Task Holdings(Guid customerId, Func<string, bool>? companies = null)
    {
        foreach (var worker in stage.Workers.Where(w => companies?.Invoke(w.CompanyId) ?? true))
        {
            await using var store = worker.OpenStore();
            var held = await store.Records.AsNoTracking().Where(r => r.CustomerId == customerId).ToListAsync();
            Say($"  {worker.CompanyId,-8} holds of {Name(customerId)}: " + (held.Count == 0 ? "nothing"
                : string.Join(", ", held.GroupBy(r => r.Category).OrderBy(g => g.Key.ToString())
                    .Select(g => $"{g.Key} {g.Count()}" + (g.Any(r => r.RetainedUnder is not null) ? " (kept, restricted)" : "")))));
        }
    }

    public Task<T> UntilDesk<T>(Func<RequestDesk, Task<T>> read, Func<T, bool> done, string what) =>
        Poll(async () =>
        {
            await using var scope = stage.Hub.CreateAsyncScope();
            return await read(scope.ServiceProvider.GetRequiredService<RequestDesk>());
        }, done, what);

    private Task<T> Until<T>(Func<HubDbContext, Task<T>> read, Func<T, bool> done, string what) =>
        Poll(async () =>
        {
            await using var scope = stage.Hub.CreateAsyncScope();
            return await read(scope.ServiceProvider.GetRequiredService<HubDbContext>());
        }, done, what);

    private static Task<bool> UntilStore(CompanyWorker worker, Func<CompanyStore, Task<bool>> read, string what) =>
        Poll(async () =>
        {
            await using var store = worker.OpenStore();
            return await read(store);
        }, done => done, what);

    private static async Task<T> Poll<T>(Func<Task<T>> read, Func<T, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new DemoIncompleteException($"{what} did not happen within {Patience.TotalSeconds:0} s");
            }

            await Task.Delay(50);
        }
    }
}

internal sealed class DemoIncompleteException(string message) : Exception(message);
