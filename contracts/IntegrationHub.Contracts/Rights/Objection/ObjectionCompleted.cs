using MassTransit;

namespace IntegrationHub.Contracts;

/// <summary>Event: every holder acknowledged an objection.</summary>
[EntityName("hub.events.objection-completed")]
public sealed record ObjectionCompleted : ICustomerMessage, IUniqueMessage
{
    Guid IUniqueMessage.UniqueId => RequestId;

    public required Guid RequestId { get; init; }
    public required Guid CustomerId { get; init; }
    public required IReadOnlyList<string> AcknowledgedBy { get; init; }
    public required DateTimeOffset CompletedAt { get; init; }
}
