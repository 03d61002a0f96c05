using MassTransit;

namespace IntegrationHub.Contracts;

/// <summary>Event: a dealer takeover passed its deadline with customers not yet handed over; operations must look.</summary>
[EntityName("hub.events.dealer-operator-change-overdue")]
public sealed record DealerOperatorChangeOverdue : IUniqueMessage
{
    Guid IUniqueMessage.UniqueId => TakeoverId;

    public required Guid TakeoverId { get; init; }
    public required string DealerId { get; init; }
    public required string FromOperator { get; init; }
    public required string ToOperator { get; init; }
    public required DateTimeOffset DueAt { get; init; }
    public required int Customers { get; init; }
    public required int CustomersWaiting { get; init; }
}
