using IntegrationHub.Contracts;
using MassTransit;

namespace IntegrationHub.Hub.Messages;

/// <summary>A holder deleted categories for a request: the ledger must stop naming it for them (Art. 19 GDPR).</summary>
[EntityName("hub.internal.holder-released")]
public sealed record HolderReleased : ICustomerMessage, IUniqueMessage, IHubInternal
{
    Guid IUniqueMessage.UniqueId => CommandId;

    public required Guid CommandId { get; init; }
    public required Guid CustomerId { get; init; }
    public required string Company { get; init; }
    public required IReadOnlyList<DataCategory> Categories { get; init; }
}
