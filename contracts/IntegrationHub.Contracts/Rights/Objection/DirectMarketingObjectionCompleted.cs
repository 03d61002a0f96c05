using MassTransit;

namespace IntegrationHub.Contracts;

/// <summary>Event: every holder acknowledged an objection to direct marketing.</summary>
[EntityName("hub.events.direct-marketing-objection-completed")]
public sealed record DirectMarketingObjectionCompleted : ICustomerMessage, IUniqueMessage
{
    Guid IUniqueMessage.UniqueId => RequestId;

    public required Guid RequestId { get; init; }
    public required Guid CustomerId { get; init; }
    public required IReadOnlyList<string> AcknowledgedBy { get; init; }
    public required DateTimeOffset CompletedAt { get; init; }
}
