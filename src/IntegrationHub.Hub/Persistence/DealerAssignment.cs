namespace IntegrationHub.Hub.Persistence;

/// <summary>
/// From a point in time on, a Porsche Zentrum is run by this operator company (DOMAIN.md section 6).
/// Announced changes are kept as history; parties.json gives the operator before any change.
/// </summary>
public sealed class DealerAssignment
{
    public Guid TakeoverId { get; set; }

    public required string DealerId { get; set; }

    public required string FromOperator { get; set; }

    public required string Operator { get; set; }

    public DateTimeOffset EffectiveAt { get; set; }

    public required string AnnouncedBy { get; set; }

    public DateTimeOffset RecordedAt { get; set; }

    /// <summary>The time the announcement named; <see cref="EffectiveAt"/> is later when the announcement came late.</summary>
    public DateTimeOffset AnnouncedEffectiveAt { get; set; }

    /// <summary>When the takeover's saga started the hand-over of the Zentrum's customers.</summary>
    public DateTimeOffset? StartedAt { get; set; }
}

/// <summary>
/// One customer of a takeover's snapshot, counted by id: done once handed over, found with nothing
/// to hand over, or erased.
/// </summary>
public sealed class TakeoverCustomer
{
    public Guid TakeoverId { get; set; }

    public Guid CustomerId { get; set; }

    public DateTimeOffset? DoneAt { get; set; }

    public Messages.HandOverOutcome? Outcome { get; set; }
}

/// <summary>The Porsche Zentrum a customer belongs to, projected from the customer's saga.</summary>
public sealed class CustomerDealer
{
    public Guid CustomerId { get; set; }

    public required string DealerId { get; set; }
}
