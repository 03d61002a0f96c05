namespace IntegrationHub.Workers;

/// <summary>
/// A customer this company erased on the customer's request (Art. 17 GDPR), under the keyed hash only:
/// a late or replayed delivery for the customer is refused, and the id itself is not kept.
/// </summary>
public sealed class ErasedCustomer
{
    public required string CustomerHash { get; set; }

    public DateTimeOffset ErasedAt { get; set; }
}

/// <summary>A delivery this company stored once: the same delivery id is never stored again, also after its records were erased.</summary>
public sealed class HandledDelivery
{
    public Guid DeliveryId { get; set; }

    public DateTimeOffset HandledAt { get; set; }
}

/// <summary>A delivery acknowledged but not stored, with the reason: the count operations look at.</summary>
public sealed class RefusedDelivery
{
    public long Id { get; set; }

    public Guid DeliveryId { get; set; }

    public DeliveryRefusal Reason { get; set; }

    public DateTimeOffset RefusedAt { get; set; }
}

public enum DeliveryRefusal
{
    /// <summary>The customer was erased here on request; the hub's ledger no longer names this company as a holder.</summary>
    CustomerErased,
    /// <summary>Stored once and since erased or deleted: a replay, for example from an error or dead-letter queue.</summary>
    ErasedSinceStored,
}
