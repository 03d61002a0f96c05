using MassTransit;

namespace IntegrationHub.Contracts;

/// <summary>Event: every holder applied a rectification.</summary>
[EntityName("hub.events.rectification-completed")]
public sealed record RectificationCompleted : ICustomerMessage, IUniqueMessage
{
    Guid IUniqueMessage.UniqueId => RequestId;

    public required Guid RequestId { get; init; }
    public required Guid CustomerId { get; init; }
    public required IReadOnlyList<string> AcknowledgedBy { get; init; }
    public required DateTimeOffset CompletedAt { get; init; }
}
