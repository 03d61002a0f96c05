using MassTransit;

namespace IntegrationHub.Contracts;

/// <summary>Acknowledgement: a holder lifted a restriction.</summary>
[EntityName("inbound.restriction-lifted")]
public sealed record RestrictionLifted : ICustomerMessage, IUniqueMessage
{
    Guid IUniqueMessage.UniqueId => CommandId;

    public required Guid CommandId { get; init; }
    public required Guid RequestId { get; init; }
    public required Guid CustomerId { get; init; }
    public required string Company { get; init; }
    public required ActionReceipt Receipt { get; init; }
}
