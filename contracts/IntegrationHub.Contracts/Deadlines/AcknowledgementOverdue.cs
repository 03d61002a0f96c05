using MassTransit;

namespace IntegrationHub.Contracts;

/// <summary>Escalation: a company did not acknowledge a command by its acknowledgement deadline.</summary>
[EntityName("hub.events.acknowledgement-overdue")]
public sealed record AcknowledgementOverdue : ICustomerMessage, IUniqueMessage
{
    Guid IUniqueMessage.UniqueId => CommandId;

    public required Guid RequestId { get; init; }
    public required Guid CustomerId { get; init; }
    public required Guid CommandId { get; init; }
    public required string Company { get; init; }
    /// <summary>The kind of request, e.g. Erasure or ConsentWithdrawal.</summary>
    public required string RequestKind { get; init; }
    public required DateTimeOffset AcknowledgeBy { get; init; }
}
