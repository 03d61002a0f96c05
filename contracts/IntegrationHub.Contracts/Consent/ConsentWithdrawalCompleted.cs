using MassTransit;

namespace IntegrationHub.Contracts;

/// <summary>Event: every holder acknowledged a consent withdrawal.</summary>
[EntityName("hub.events.consent-withdrawal-completed")]
public sealed record ConsentWithdrawalCompleted : ICustomerMessage, IUniqueMessage
{
    Guid IUniqueMessage.UniqueId => RequestId;

    public required Guid RequestId { get; init; }
    public required Guid CustomerId { get; init; }
    public required IReadOnlyList<string> AcknowledgedBy { get; init; }
    public required DateTimeOffset CompletedAt { get; init; }
}
