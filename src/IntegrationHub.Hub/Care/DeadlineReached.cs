using MassTransit;

namespace IntegrationHub.Hub.Care;

/// <summary>
/// Hub-internal: the sweeper found a deadline due. Company is empty for the request's legal deadline.
/// The saga decides whether it still matters (the holder may have answered meanwhile).
/// </summary>
[EntityName("hub.internal.deadline-reached")]
public sealed record DeadlineReached
{
    /// <summary>Unique per reminder: the same deadline may be reminded of again until the saga escalated it.</summary>
    public required Guid ReminderId { get; init; }

    public required Guid CustomerId { get; init; }
    public required Guid RequestId { get; init; }
    public required string Company { get; init; }
    public required DateTimeOffset DueAt { get; init; }
}
