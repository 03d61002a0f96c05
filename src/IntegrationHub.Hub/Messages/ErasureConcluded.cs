using IntegrationHub.Contracts;
using MassTransit;

namespace IntegrationHub.Hub.Messages;

/// <summary>The erasure that answers a request which arrived while it ran has completed.</summary>
[EntityName("hub.internal.erasure-concluded")]
public sealed record ErasureConcluded : IUniqueMessage, IHubInternal
{
    Guid IUniqueMessage.UniqueId => RequestId;

    public required Guid RequestId { get; init; }
    public required Guid ErasureRequestId { get; init; }
    public required DateTimeOffset ErasedAt { get; init; }
}
