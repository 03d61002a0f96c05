using MassTransit;

namespace IntegrationHub.Contracts;

/// <summary>Event: every customer of the Zentrum was handed over and the old operator erased its copies.</summary>
[EntityName("hub.events.dealer-operator-change-completed")]
public sealed record DealerOperatorChangeCompleted : IUniqueMessage
{
    Guid IUniqueMessage.UniqueId => TakeoverId;

    public required Guid TakeoverId { get; init; }
    public required string DealerId { get; init; }
    public required string FromOperator { get; init; }
    public required string ToOperator { get; init; }
    public required int CustomersTransferred { get; init; }
    public required DateTimeOffset CompletedAt { get; init; }
}
