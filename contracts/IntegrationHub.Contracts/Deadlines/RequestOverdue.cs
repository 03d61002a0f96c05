using MassTransit;

namespace IntegrationHub.Contracts;

/// <summary>Escalation: a request passed its legal deadline (Art. 12(3) GDPR) with companies still silent.</summary>
[EntityName("hub.events.request-overdue")]
public sealed record RequestOverdue : ICustomerMessage, IUniqueMessage
{
    Guid IUniqueMessage.UniqueId => RequestId;

    public required Guid RequestId { get; init; }
    public required Guid CustomerId { get; init; }
    public required string RequestKind { get; init; }
    public required DateTimeOffset DueAt { get; init; }
    public required IReadOnlyList<string> WaitingFor { get; init; }
}
