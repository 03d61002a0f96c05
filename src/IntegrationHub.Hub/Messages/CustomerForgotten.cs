using IntegrationHub.Contracts;
using MassTransit;

namespace IntegrationHub.Hub.Messages;

/// <summary>The customer of a request is erased: the request keeps the keyed hash, never the id.</summary>
[EntityName("hub.internal.customer-forgotten")]
public sealed record CustomerForgotten : IUniqueMessage, IHubInternal
{
    Guid IUniqueMessage.UniqueId => RequestId;

    public required Guid RequestId { get; init; }
    public required string CustomerHash { get; init; }
}
