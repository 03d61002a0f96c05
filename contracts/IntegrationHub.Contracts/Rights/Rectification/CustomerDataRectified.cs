using MassTransit;

namespace IntegrationHub.Contracts;

/// <summary>Acknowledgement: a holder applied a rectification.</summary>
[EntityName("inbound.customer-data-rectified")]
public sealed record CustomerDataRectified : ICustomerMessage, IUniqueMessage
{
    Guid IUniqueMessage.UniqueId => CommandId;

    public required Guid CommandId { get; init; }
    public required Guid RequestId { get; init; }
    public required Guid CustomerId { get; init; }
    public required string Company { get; init; }
    public required ActionReceipt Receipt { get; init; }
}
