using MassTransit;

namespace IntegrationHub.Contracts;

/// <summary>Acknowledgement: a holder stopped direct marketing to the customer.</summary>
[EntityName("inbound.direct-marketing-stopped")]
public sealed record DirectMarketingStopped : ICustomerMessage, IUniqueMessage
{
    Guid IUniqueMessage.UniqueId => CommandId;

    public required Guid CommandId { get; init; }
    public required Guid RequestId { get; init; }
    public required Guid CustomerId { get; init; }
    public required string Company { get; init; }
    public required ActionReceipt Receipt { get; init; }
}
