using IntegrationHub.Contracts;

namespace IntegrationHub.Hub.Audit;

/// <summary>
/// One fact of the audit trail, as evidence for the joint controllers (Art. 5(2), Art. 26 GDPR): what
/// happened, to whose data, which company and category it concerned and why. A routing decision is one
/// entry per recipient, category and reason. Ids, categories and reasons only, never payload values.
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    public AuditKind Kind { get; set; }

    /// <summary>The message, request or takeover the entry is about.</summary>
    public Guid MessageId { get; set; }

    /// <summary>Null once the customer is erased; the entry then keeps only <see cref="CustomerHash"/>.</summary>
    public Guid? CustomerId { get; set; }

    /// <summary>The keyed hash of the customer id, as in the tombstone; set when the customer is erased.</summary>
    public string? CustomerHash { get; set; }

    /// <summary>Who acted: the company that sent the message, or "hub".</summary>
    public required string Actor { get; set; }

    /// <summary>The company concerned: a recipient, a holder, an operator.</summary>
    public string? Company { get; set; }

    public DataCategory? Category { get; set; }

    public AuditReason? Reason { get; set; }

    public required string PolicyVersion { get; set; }

    /// <summary>A short operator note (a consent channel, a reason for an extension); never parsed back.</summary>
    public string? Note { get; set; }
}
