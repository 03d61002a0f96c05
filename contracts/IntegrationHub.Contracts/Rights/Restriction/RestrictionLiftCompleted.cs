using MassTransit;

namespace IntegrationHub.Contracts;

/// <summary>Event: every holder lifted a restriction.</summary>
[EntityName("hub.events.restriction-lift-completed")]
public sealed record RestrictionLiftCompleted : ICustomerMessage, IUniqueMessage
{
    Guid IUniqueMessage.UniqueId => RequestId;

    public required Guid RequestId { get; init; }
    public required Guid CustomerId { get; init; }
    public required IReadOnlyList<string> AcknowledgedBy { get; init; }
    public required DateTimeOffset CompletedAt { get; init; }
}
