using MassTransit;

namespace IntegrationHub.Contracts;

/// <summary>Event: every holder restricted the customer's data.</summary>
[EntityName("hub.events.restriction-completed")]
public sealed record RestrictionCompleted : ICustomerMessage, IUniqueMessage
{
    Guid IUniqueMessage.UniqueId => RequestId;

    public required Guid RequestId { get; init; }
    public required Guid CustomerId { get; init; }
    public required IReadOnlyList<string> AcknowledgedBy { get; init; }
    public required DateTimeOffset CompletedAt { get; init; }
}
