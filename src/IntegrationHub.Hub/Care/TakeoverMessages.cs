using MassTransit;

namespace IntegrationHub.Hub.Care;

/// <summary>Hub-internal: hand one customer of a Zentrum over to its new operator.</summary>
[EntityName("hub.internal.hand-over-customer")]
public sealed record HandOverCustomer
{
    public required Guid TakeoverId { get; init; }
    public required Guid CustomerId { get; init; }
    public required string DealerId { get; init; }
    public required string FromOperator { get; init; }
    public required string ToOperator { get; init; }
}

/// <summary>Hub-internal: one customer's hand-over is finished (records passed on and erased at the former operator, or nothing to pass).</summary>
[EntityName("hub.internal.customer-handed-over")]
public sealed record CustomerHandedOver
{
    public required Guid TakeoverId { get; init; }
    public required Guid CustomerId { get; init; }
}
