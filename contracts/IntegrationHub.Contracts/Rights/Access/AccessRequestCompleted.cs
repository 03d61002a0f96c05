using MassTransit;

namespace IntegrationHub.Contracts;

/// <summary>Event: every holder answered an access request, or its deadline passed.</summary>
[EntityName("hub.events.access-request-completed")]
public sealed record AccessRequestCompleted : ICustomerMessage, IUniqueMessage
{
    Guid IUniqueMessage.UniqueId => RequestId;

    public required Guid RequestId { get; init; }
    public required Guid CustomerId { get; init; }
    public required IReadOnlyList<string> AcknowledgedBy { get; init; }
    public required DateTimeOffset CompletedAt { get; init; }
    /// <summary>Holders that had not answered by the deadline; the report says so.</summary>
    public required IReadOnlyList<string> MissingCompanies { get; init; }
}
