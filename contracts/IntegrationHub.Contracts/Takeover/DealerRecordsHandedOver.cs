using MassTransit;

namespace IntegrationHub.Contracts;

/// <summary>Acknowledgement from the old operator: the dealer-role records of one customer, for the hub to pass on minimised.</summary>
[EntityName("inbound.dealer-records-handed-over")]
public sealed record DealerRecordsHandedOver : ICustomerMessage, IUniqueMessage
{
    Guid IUniqueMessage.UniqueId => CommandId;

    public required Guid CommandId { get; init; }
    public required Guid TakeoverId { get; init; }
    public required Guid CustomerId { get; init; }
    public required string Company { get; init; }
    /// <summary>Every record the former operator holds of the customer, one entry per record.</summary>
    public required IReadOnlyList<CategoryRecord> Records { get; init; }
}
