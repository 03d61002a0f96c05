using IntegrationHub.Hub.Audit;
using IntegrationHub.Hub.Customers;
using IntegrationHub.Hub.Persistence;
using IntegrationHub.Hub.Requests;
using IntegrationHub.Hub.Sagas;
using IntegrationHub.Hub.Takeovers;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Hub.Operations;

/// <summary>
/// Everything the operations dashboard reads from the hub's store, in one place, so that a change of
/// the store's schema has one reader outside the hub to follow. Reads only (the store is opened
/// read-only, see <see cref="UseReadOnlyStore"/>), and returns ids, companies, categories, counts,
/// states, reasons and times: never a data value, a consent wording or a free-text note.
/// Projection tables first (ledger, deadlines, outbox, tombstones, takeover customers); a request's
/// recipients and a customer's choices exist only in their saga, read through the hub's own types.
/// </summary>
public sealed class OpsQueries(HubDbContext db)
{
    /// <summary>Opens the hub's store read-only (SQLite file or PostgreSQL database): the dashboard can never change what the hub decided.</summary>
    public static DbContextOptionsBuilder UseReadOnlyStore(DbContextOptionsBuilder builder, StoreEngine store) =>
        store.UseReadOnly(builder).UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking);

    /// <summary>Open requests (received, waiting, overdue) and the latest <paramref name="doneLimit"/> done ones, newest first.</summary>
    public async Task<IReadOnlyList<RequestLine>> Requests(int doneLimit, CancellationToken cancellationToken = default)
    {
        var type = nameof(RequestState);
        var done = nameof(RequestStateMachine.Done);
        var open = await db.Sagas.Where(s => s.SagaType == type && s.CurrentState != done).Select(s => s.Data).ToListAsync(cancellationToken);
        var recent = await db.Sagas.Where(s => s.SagaType == type && s.CurrentState == done)
            .OrderByDescending(s => s.UpdatedAt).Take(doneLimit).Select(s => s.Data).ToListAsync(cancellationToken);
        return open.Concat(recent).Select(json => RequestLine.Of(RequestStatus.Of(SagaStateSerializer.Deserialize<RequestState>(json))))
            .OrderByDescending(r => r.ReceivedAt).ToList();
    }

    /// <summary>Takeovers announced or handing over, with their customers counted from the snapshot.</summary>
    public async Task<IReadOnlyList<TakeoverLine>> TakeoversInProgress(CancellationToken cancellationToken = default)
    {
        var type = nameof(TakeoverState);
        var done = nameof(TakeoverStateMachine.Done);
        var finished = await db.Sagas.Where(s => s.SagaType == type && s.CurrentState == done).Select(s => s.CorrelationId).ToListAsync(cancellationToken);
        var assignments = await db.DealerAssignments.Where(a => !finished.Contains(a.TakeoverId)).ToListAsync(cancellationToken);
        var ids = assignments.Select(a => a.TakeoverId).ToList();
        var counts = await db.TakeoverCustomers.Where(c => ids.Contains(c.TakeoverId)).GroupBy(c => c.TakeoverId)
            .Select(g => new { TakeoverId = g.Key, Customers = g.Count(), Done = g.Count(c => c.DoneAt != null) }).ToListAsync(cancellationToken);
        var deadlines = await db.Deadlines.Where(d => d.Owner == DeadlineOwner.Takeover && ids.Contains(d.SagaId)).ToListAsync(cancellationToken);
        return assignments.OrderBy(a => a.EffectiveAt).Select(a =>
        {
            var count = counts.SingleOrDefault(c => c.TakeoverId == a.TakeoverId);
            return new TakeoverLine(a.TakeoverId, a.DealerId, a.FromOperator, a.Operator, a.EffectiveAt, a.StartedAt,
                count?.Customers ?? 0, count?.Done ?? 0, deadlines.SingleOrDefault(d => d.SagaId == a.TakeoverId)?.DueAt);
        }).ToList();
    }

    /// <summary>Erased customers (by the first characters of their keyed hash) for whom messages arrived afterwards and were quarantined.</summary>
    public async Task<IReadOnlyList<QuarantineLine>> Quarantined(int limit, CancellationToken cancellationToken = default) =>
        (await db.Tombstones.Where(t => t.QuarantinedMessages > 0).OrderByDescending(t => t.QuarantinedMessages).Take(limit)
            .Select(t => new { t.CustomerHash, t.ErasureRequestId, t.ErasedAt, t.QuarantinedMessages, t.LastQuarantinedAt }).ToListAsync(cancellationToken))
        .Select(t => new QuarantineLine(t.CustomerHash[..Math.Min(12, t.CustomerHash.Length)], t.ErasureRequestId, t.ErasedAt, t.QuarantinedMessages, t.LastQuarantinedAt))
        .ToList();

    /// <summary>The outbox backlog and its parked rows, as <c>hub outbox</c> shows them.</summary>
    public Task<OutboxOverview> Outbox(CancellationToken cancellationToken = default) => new OutboxDesk(db).Overview(cancellationToken);

    /// <summary>One customer as operations may see it; null when the hub holds no such customer (never seen, or erased).</summary>
    public async Task<CustomerView?> Customer(Guid customerId, int auditLimit, CancellationToken cancellationToken = default)
    {
        var row = await db.Sagas.SingleOrDefaultAsync(s => s.SagaType == nameof(CustomerState) && s.CorrelationId == customerId, cancellationToken);
        if (row is null)
        {
            return null;
        }

        var customer = SagaStateSerializer.Deserialize<CustomerState>(row.Data);
        var ledger = await db.Ledger.Where(l => l.CustomerId == customerId).OrderBy(l => l.Company).ThenBy(l => l.Category)
            .Select(l => new LedgerLine(l.Company, l.Category.ToString(), l.FirstReceivedAt, l.LastReceivedAt, l.LastDeliveryId)).ToListAsync(cancellationToken);
        var requests = await db.Sagas.Where(s => s.SagaType == nameof(RequestState) && customer.Requests.Contains(s.CorrelationId)).Select(s => s.Data).ToListAsync(cancellationToken);
        var pending = requests.Select(SagaStateSerializer.Deserialize<RequestState>).Where(r => r.IsOpen)
            .SelectMany(r => r.Waiting.Select(w => new PendingAcknowledgement(r.CorrelationId, r.Kind.ToString(), w.Company, w.AcknowledgeBy, w.OverdueSince)))
            .OrderBy(p => p.AcknowledgeBy).ToList();
        var audit = await db.Audit.Where(a => a.CustomerId == customerId).OrderByDescending(a => a.Id).Take(auditLimit)
            .Select(a => new AuditLine(a.At, a.Kind.ToString(), a.MessageId, a.Actor, a.Company, a.Category.HasValue ? a.Category.Value.ToString() : null,
                a.Reason.HasValue ? a.Reason.Value.ToString() : null, a.PolicyVersion))
            .ToListAsync(cancellationToken);
        var consent = customer.Consent is { } c ? new ConsentLine(c.Granted, c.Channel.ToString(), c.At, c.CapturedBy, c.ConsentId) : null;
        return new CustomerView(customerId, row.CurrentState, consent, customer.Restricted, customer.ObjectedGenerally, customer.ObjectedToDirectMarketing,
            customer.DealerId, customer.CreatedAt, customer.UpdatedAt, ledger, pending, audit);
    }

    /// <summary>
    /// When the hub first recorded something about one of these ids (a capture, consent, request or
    /// acknowledgement id) at or after <paramref name="since"/>: the sign that a message moved back was processed.
    /// </summary>
    public async Task<DateTimeOffset?> FirstAuditedSince(IReadOnlyCollection<Guid> ids, DateTimeOffset since, CancellationToken cancellationToken = default) =>
        (await db.Audit.Where(a => ids.Contains(a.MessageId)).Select(a => a.At).ToListAsync(cancellationToken))
        .Where(at => at >= since).Order().Select(at => (DateTimeOffset?)at).FirstOrDefault();
}

/// <param name="OverdueCompanies">The holders that let their acknowledgement deadline pass: the companies that are late.</param>
public sealed record RequestLine(
    Guid RequestId, Guid? CustomerId, string Kind, string State, string ReceivedBy, DateTimeOffset ReceivedAt, DateTimeOffset DueAt,
    DateTimeOffset? CompletedAt, IReadOnlyList<string> AnsweredBy, IReadOnlyList<string> WaitingFor, IReadOnlyList<string> OverdueCompanies)
{
    public static RequestLine Of(RequestStatus status) => new(status.RequestId, status.CustomerId, status.Kind.ToString(), status.State, status.ReceivedBy,
        status.ReceivedAt, status.DueAt, status.CompletedAt, status.AnsweredBy, status.WaitingFor,
        // A request past its legal month is late for everyone still silent, even before their own deadline passed.
        status.Overdue ? status.WaitingFor.Union(status.OverdueCompanies).ToList() : status.OverdueCompanies);
}

public sealed record TakeoverLine(
    Guid TakeoverId, string DealerId, string FromOperator, string ToOperator, DateTimeOffset EffectiveAt, DateTimeOffset? StartedAt,
    int Customers, int HandedOver, DateTimeOffset? DueAt);

public sealed record QuarantineLine(string CustomerHashPrefix, Guid ErasureRequestId, DateTimeOffset ErasedAt, int Messages, DateTimeOffset? LastAt);

public sealed record CustomerView(
    Guid CustomerId, string State, ConsentLine? Consent, bool Restricted, bool ObjectedGenerally, bool ObjectedToDirectMarketing, string? DealerId,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, IReadOnlyList<LedgerLine> Ledger, IReadOnlyList<PendingAcknowledgement> PendingAcknowledgements,
    IReadOnlyList<AuditLine> Audit);

/// <summary>A consent as evidence without its wording: given or withdrawn, over which channel, when, recorded by whom.</summary>
public sealed record ConsentLine(bool Granted, string Channel, DateTimeOffset At, string CapturedBy, Guid ConsentId);

public sealed record LedgerLine(string Company, string Category, DateTimeOffset Since, DateTimeOffset LastReceivedAt, Guid LastDeliveryId);

public sealed record PendingAcknowledgement(Guid RequestId, string Kind, string Company, DateTimeOffset AcknowledgeBy, DateTimeOffset? OverdueSince);

public sealed record AuditLine(DateTimeOffset At, string Kind, Guid MessageId, string Actor, string? Company, string? Category, string? Reason, string PolicyVersion);
