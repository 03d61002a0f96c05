using IntegrationHub.Contracts;
using MassTransit;

namespace IntegrationHub.Hub.Messages;

/// <summary>The takeover asks one customer of the Zentrum to be handed over to the new operator.</summary>
[EntityName("hub.internal.hand-over-customer")]
public sealed record HandOverCustomer : ICustomerMessage, IUniqueMessage, IHubInternal
{
    Guid IUniqueMessage.UniqueId => TakeoverId;

    public required Guid TakeoverId { get; init; }
    public required Guid CustomerId { get; init; }
    public required string DealerId { get; init; }
    public required string FromOperator { get; init; }
    public required string ToOperator { get; init; }
}
