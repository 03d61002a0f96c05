using IntegrationHub.Contracts;
using MassTransit;

namespace IntegrationHub.Hub.Messages;

/// <summary>
/// The sweeper found a deadline of a data-subject request due. Company is empty for the
/// legal deadline of the whole request. The saga decides whether it still matters.
/// </summary>
[EntityName("hub.internal.request-deadline-reached")]
public sealed record RequestDeadlineReached : IUniqueMessage, IHubInternal
{
    Guid IUniqueMessage.UniqueId => ReminderId;

    /// <summary>Unique per reminder: a deadline is reminded of again until the saga escalated it.</summary>
    public required Guid ReminderId { get; init; }
    public required Guid RequestId { get; init; }
    public required string Company { get; init; }
    public required DateTimeOffset DueAt { get; init; }
}
