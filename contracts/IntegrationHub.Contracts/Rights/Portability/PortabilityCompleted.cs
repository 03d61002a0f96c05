using MassTransit;

namespace IntegrationHub.Contracts;

/// <summary>Event: every holder sent its part of a portability package.</summary>
[EntityName("hub.events.portability-completed")]
public sealed record PortabilityCompleted : ICustomerMessage, IUniqueMessage
{
    Guid IUniqueMessage.UniqueId => RequestId;

    public required Guid RequestId { get; init; }
    public required Guid CustomerId { get; init; }
    public required IReadOnlyList<string> AcknowledgedBy { get; init; }
    public required DateTimeOffset CompletedAt { get; init; }
}
