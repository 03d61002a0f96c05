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

    /// <summary>When the hand-over of the Zentrum's customers began (at or after <see cref="EffectiveAt"/>).</summary>
    public DateTimeOffset? StartedAt { get; set; }

    /// <summary>How many customers of the Zentrum the hand-over covers.</summary>
    public int Customers { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }
}

/// <summary>A customer whose records have passed to the new operator and been erased at the old one.</summary>
public sealed class HandedOverCustomer
{
    public Guid TakeoverId { get; set; }

    public Guid CustomerId { get; set; }

    public DateTimeOffset At { get; set; }
}

/// <summary>The Porsche Zentrum a customer belongs to, projected from the customer's saga.</summary>
public sealed class CustomerDealer
{
    public Guid CustomerId { get; set; }

    public required string DealerId { get; set; }
}
