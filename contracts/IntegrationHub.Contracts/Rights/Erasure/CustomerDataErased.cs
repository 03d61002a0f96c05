using MassTransit;

namespace IntegrationHub.Contracts;

/// <summary>Acknowledgement: a holder erased the customer's data; the receipt names what it kept and why.</summary>
[EntityName("inbound.customer-data-erased")]
public sealed record CustomerDataErased : ICustomerMessage, IUniqueMessage
{
    Guid IUniqueMessage.UniqueId => CommandId;

    public required Guid CommandId { get; init; }
    public required Guid RequestId { get; init; }
    public required Guid CustomerId { get; init; }
    public required string Company { get; init; }
    public required ActionReceipt Receipt { get; init; }
}
