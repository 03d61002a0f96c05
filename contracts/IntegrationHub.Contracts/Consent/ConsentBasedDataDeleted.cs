using MassTransit;

namespace IntegrationHub.Contracts;

/// <summary>Acknowledgement: a holder deleted its consent-based data for the customer.</summary>
[EntityName("inbound.consent-based-data-deleted")]
public sealed record ConsentBasedDataDeleted : ICustomerMessage, IUniqueMessage
{
    Guid IUniqueMessage.UniqueId => CommandId;

    public required Guid CommandId { get; init; }
    public required Guid RequestId { get; init; }
    public required Guid CustomerId { get; init; }
    public required string Company { get; init; }
    public required ActionReceipt Receipt { get; init; }
}
