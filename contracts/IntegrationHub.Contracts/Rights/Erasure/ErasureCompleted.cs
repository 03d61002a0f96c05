using MassTransit;

namespace IntegrationHub.Contracts;

/// <summary>Event: every holder acknowledged an erasure; the hub keeps only a tombstone.</summary>
[EntityName("hub.events.erasure-completed")]
public sealed record ErasureCompleted : ICustomerMessage, IUniqueMessage
{
    Guid IUniqueMessage.UniqueId => RequestId;

    public required Guid RequestId { get; init; }
    public required Guid CustomerId { get; init; }
    public required IReadOnlyList<string> AcknowledgedBy { get; init; }
    public required DateTimeOffset CompletedAt { get; init; }
}
