using MassTransit;

namespace IntegrationHub.Contracts;

/// <summary>Event: a request's legal deadline was extended, with the recorded reason.</summary>
[EntityName("hub.events.request-deadline-extended")]
public sealed record RequestDeadlineExtended : ICustomerMessage, IUniqueMessage
{
    Guid IUniqueMessage.UniqueId => RequestId;

    public required Guid RequestId { get; init; }
    public required Guid CustomerId { get; init; }
    public required DateTimeOffset DueAt { get; init; }
    public required string Reason { get; init; }
    public required string DecidedBy { get; init; }
}
