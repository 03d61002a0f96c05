using IntegrationHub.Contracts;
using IntegrationHub.Hub.Persistence;
using IntegrationHub.Routing;

namespace IntegrationHub.Hub.Audit;

/// <summary>Writes audit entries into the open unit of work, so they commit with the decision they record.</summary>
public sealed class HubAudit(HubDbContext db, OperationalNeedPolicy policy, TimeProvider clock)
{
    public const string Hub = "hub";

    public void Record(AuditKind kind, Guid messageId, Guid? customerId, string actor, string? company = null,
        DataCategory? category = null, AuditReason? reason = null, string? note = null, string? customerHash = null) =>
        db.Stage(new AuditEntry
        {
            At = clock.GetUtcNow(), Kind = kind, MessageId = messageId, CustomerId = customerId, CustomerHash = customerHash, Actor = actor,
            Company = company, Category = category, Reason = reason, PolicyVersion = policy.Policy.Version, Note = note,
        });

    /// <summary>A routing decision: one entry per recipient and category delivered, and per category dropped with its reason.</summary>
    public void Routed(CustomerDataCaptured capture, RoutingDecision decision)
    {
        foreach (var copy in decision.Recipients)
        {
            foreach (var category in copy.Data.Keys.Order())
            {
                Record(AuditKind.CaptureRouted, capture.CaptureId, capture.CustomerId, capture.SourceCompany, copy.Company, category, AuditReason.Delivered);
            }
        }

        foreach (var dropped in decision.Dropped)
        {
            Record(AuditKind.CaptureRouted, capture.CaptureId, capture.CustomerId, capture.SourceCompany, dropped.Company ?? dropped.Role.ToString(),
                dropped.Category, ReasonOf(dropped.Reason));
        }
    }

    /// <summary>A holder's receipt: one entry per category with its outcome, the legal basis of what is kept as the note.</summary>
    public void Receipt(Guid commandId, Guid? customerId, string company, ActionReceipt receipt)
    {
        foreach (var outcome in receipt.Outcomes)
        {
            Record(AuditKind.Acknowledged, commandId, customerId, company, company, outcome.Category, ReasonOf(outcome.Outcome),
                outcome.LegalBasis is null ? $"{outcome.RecordCount} records" : $"{outcome.RecordCount} records; {outcome.LegalBasis}");
        }

        if (receipt.Outcomes.Count == 0)
        {
            Record(AuditKind.Acknowledged, commandId, customerId, company, company);
        }
    }

    public static AuditReason ReasonOf(DropReason reason) => reason switch
    {
        DropReason.NoOperationalNeed => AuditReason.NoOperationalNeed,
        DropReason.ConsentMissing => AuditReason.ConsentMissing,
        DropReason.Objection => AuditReason.Objection,
        DropReason.ProcessingRestricted => AuditReason.ProcessingRestricted,
        DropReason.AggregatesOnly => AuditReason.AggregatesOnly,
        DropReason.NoDealerAssigned => AuditReason.NoDealerAssigned,
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "no audit reason for this drop reason"),
    };

    public static AuditReason ReasonOf(OutcomeKind outcome) => outcome switch
    {
        OutcomeKind.Erased => AuditReason.Erased,
        OutcomeKind.KeptRestricted => AuditReason.KeptRestricted,
        OutcomeKind.Changed => AuditReason.Changed,
        OutcomeKind.Restricted => AuditReason.Restricted,
        OutcomeKind.Unrestricted => AuditReason.Unrestricted,
        OutcomeKind.Provided => AuditReason.Provided,
        OutcomeKind.Unchanged => AuditReason.Unchanged,
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "no audit reason for this outcome"),
    };
}
