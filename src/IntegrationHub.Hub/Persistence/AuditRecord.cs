namespace IntegrationHub.Hub.Persistence;

/// <summary>
/// One routing decision, as evidence for the joint controllers (Art. 5(2), Art. 26 GDPR): ids,
/// categories, recipients and reasons. Never payload values.
/// </summary>
public sealed class AuditRecord
{
    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    public required string Kind { get; set; }

    public Guid MessageId { get; set; }

    /// <summary>Guid.Empty once the customer is erased; the record then keeps only <see cref="CustomerHash"/>.</summary>
    public Guid CustomerId { get; set; }

    /// <summary>The keyed hash of the customer id, as in the tombstone.</summary>
    public string? CustomerHash { get; set; }

    public required string SourceCompany { get; set; }

    /// <summary>Categories present in the message, comma-separated.</summary>
    public required string Categories { get; set; }

    /// <summary>"COMPANY:Cat1,Cat2" per recipient, separated by ';'.</summary>
    public required string Recipients { get; set; }

    /// <summary>"COMPANY:Category:Reason" per dropped category, separated by ';'.</summary>
    public required string Dropped { get; set; }

    public required string PolicyVersion { get; set; }
}
